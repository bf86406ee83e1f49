"""Every engagement page in Chromium: axe-core (WCAG 2.2 AA), screenshots, phone width."""

import pytest
from django.urls import reverse

from engagement.reference_data import report_reference_data_ensure
from tests.browser import PHONE, assert_accessible, save_screenshot
from tests.engagement.factories import (
    AttendanceFactory,
    EventFactory,
    IssueReportFactory,
    ParticipantFactory,
    PostcodeFactory,
    StreetChampionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_tiles(settings):
    # No internet in tests: the map is drawn without its tiles.
    settings.MAP_TILE_URL = ""


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_resident_signs_up_on_a_phone_by_keyboard_with_no_equality_answers(new_page, ward):
    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    page = new_page(viewport=PHONE)
    page.goto(reverse("engagement:champion_start"))
    assert_accessible(page)
    assert fits_the_screen(page)
    save_screenshot(page, "engagement-champion-start-phone")
    page.get_by_role("button", name="Start now").focus()
    page.keyboard.press("Enter")
    # when: each question page, filled by keyboard
    page.get_by_label("Full name").fill("Maureen Pike")
    page.get_by_label("Email address").fill("maureen@example.org")
    page.get_by_label("Email", exact=True).check()
    assert_accessible(page)
    assert fits_the_screen(page)
    save_screenshot(page, "engagement-champion-contact-phone")
    page.keyboard.press("Enter")
    page.get_by_label("Your postcode", exact=True).fill("nf1 1ab")
    page.keyboard.press("Enter")
    page.get_by_label("Which streets").fill("Elm Road")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Report problems in my patch").check()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Involve me").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    assert fits_the_screen(page)
    save_screenshot(page, "engagement-champion-equality-phone")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    assert fits_the_screen(page)
    save_screenshot(page, "engagement-champion-check-phone")
    page.get_by_role("button", name="Sign up").click()
    # then
    assert page.get_by_role("heading", name="Sign-up sent").is_visible()
    assert_accessible(page)
    save_screenshot(page, "engagement-champion-done-phone")


def test_resident_reports_fly_tipping_on_a_phone(new_page, ward, resident):
    # given
    report_reference_data_ensure()
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    page = new_page(user=resident, viewport=PHONE)
    page.goto(reverse("engagement:report_start"))
    assert_accessible(page)
    assert fits_the_screen(page)
    # The map's panel holds its heading, the map and its button: it does not spill over
    # the Continue button below it.
    panel = page.locator('[data-module="app-report-map"]').bounding_box()
    centre_button = page.get_by_role("button", name="Use the centre of the map").bounding_box()
    continue_button = page.get_by_role("button", name="Continue", exact=True).bounding_box()
    assert centre_button["y"] + centre_button["height"] <= panel["y"] + panel["height"]
    assert panel["y"] + panel["height"] <= continue_button["y"]
    save_screenshot(page, "engagement-report-start-phone")
    # when
    page.get_by_label("Fly-tipping").check()
    page.get_by_label("Postcode nearest").fill("NF1 1AB")
    page.get_by_role("button", name="Continue", exact=True).click()
    assert_accessible(page)
    assert fits_the_screen(page)
    page.get_by_label("Describe the problem").fill("Mattress and six bags")
    save_screenshot(page, "engagement-report-details-phone")
    page.get_by_role("button", name="Send report").click()
    # then
    assert page.get_by_text("Report sent").is_visible()
    assert_accessible(page)
    assert fits_the_screen(page)
    save_screenshot(page, "engagement-report-detail-phone")


PUBLIC = [
    "engagement:event_list_public",
    "engagement:event_detail_public",
    "engagement:event_register",
    "engagement:event_feedback",
    "engagement:report_detail",
]


def test_public_and_resident_pages_are_accessible_at_320px(new_page, ward, resident):
    report_reference_data_ensure()
    event = EventFactory(area=ward, title="Abbey Fields litter pick")
    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    ParticipantFactory(user=resident, email=resident.email, home_ward=ward)
    page = new_page(user=resident, viewport=PHONE)
    urls = {
        "engagement:event_list_public": reverse("engagement:event_list_public"),
        "engagement:event_detail_public": reverse(
            "engagement:event_detail_public", args=[event.pk]
        ),
        "engagement:event_register": reverse("engagement:event_register", args=[event.pk]),
        "engagement:event_feedback": reverse("engagement:event_feedback", args=[event.pk]),
        "engagement:event_check_in": reverse("engagement:event_check_in", args=[event.pk]),
        "engagement:report_detail": reverse("engagement:report_detail", args=[report.pk]),
        "engagement:my_page": reverse("engagement:my_page"),
        "engagement:my_details_edit": reverse("engagement:my_details_edit"),
        "engagement:my_equality": reverse("engagement:my_equality"),
        "engagement:my_equality_withdraw": reverse("engagement:my_equality_withdraw"),
        "engagement:my_delete": reverse("engagement:my_delete"),
    }
    for name, url in urls.items():
        page.goto(url)
        assert_accessible(page)
        assert fits_the_screen(page), name
        save_screenshot(page, name.replace(":", "-") + "-phone")


def test_officer_pages_are_accessible(new_page, officer, ward):
    report_reference_data_ensure()
    participant = ParticipantFactory(home_ward=ward, full_name="Jo Bloggs")
    champion = StreetChampionFactory(participant=participant, status="awaiting_approval")
    report = IssueReportFactory(reporter=participant)
    event = EventFactory(area=ward, title="Town Centre forum", kind="forum", held=True)
    AttendanceFactory(event=event, participant=participant)
    page = new_page(user=officer)
    urls = {
        "report_queue": reverse("engagement:report_queue"),
        "report_manage": reverse("engagement:report_manage", args=[report.pk]),
        "report_stats": reverse("engagement:report_stats"),
        "area_summary": reverse("engagement:area_summary"),
        "champion_list": reverse("engagement:champion_list"),
        "champion_detail": reverse("engagement:champion_detail", args=[champion.pk]),
        "event_list": reverse("engagement:event_list"),
        "event_create": reverse("engagement:event_create"),
        "event_edit": reverse("engagement:event_edit", args=[event.pk]),
        "event_attendance": reverse("engagement:event_attendance", args=[event.pk]),
        "participation_import": reverse("engagement:participation_import"),
        "participant_list": reverse("engagement:participant_list"),
        "participant_detail": reverse("engagement:participant_detail", args=[participant.pk]),
        "participant_edit": reverse("engagement:participant_edit", args=[participant.pk]),
        "participant_erase": reverse("engagement:participant_erase", args=[participant.pk]),
    }
    for name, url in urls.items():
        page.goto(url)
        assert_accessible(page)
        save_screenshot(page, f"engagement-{name}")
    # the register, by keyboard: tick and save
    page.goto(urls["event_attendance"])
    page.get_by_label("Came").check()
    page.get_by_role("button", name="Save attendance").click()
    assert page.get_by_text("Attendance saved").is_visible()
