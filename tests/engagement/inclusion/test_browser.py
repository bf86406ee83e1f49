"""Every inclusion page in Chromium: axe-core (WCAG 2.2 AA), screenshots, phone width."""

from datetime import date

import pytest
from django.urls import reverse

from engagement.inclusion.models import Report, ScopeKind
from engagement.inclusion.services import report_generate, report_publish
from tests.browser import PHONE, assert_accessible, assert_error_page, save_screenshot
from tests.communities.factories import DeprivationScoreFactory, LsoaFactory
from tests.engagement.inclusion.factories import (
    ReportFactory,
    TargetFactory,
    census_table,
    person_with,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def rich_report(aap, ward, officer):
    """A finished report on the area: two neighbourhoods, four census tables, 40 people
    who are older and whiter than their ward, one target."""
    deprived, better_off = LsoaFactory(parent=ward), LsoaFactory(parent=ward)
    DeprivationScoreFactory(lsoa=deprived, decile=1)
    DeprivationScoreFactory(lsoa=better_off, decile=8)
    for lsoa, scale in ((deprived, 12), (better_off, 8)):
        census_table(lsoa, "TS007", {f"y{age}": scale for age in range(0, 101)})
        census_table(lsoa, "TS008", {"female": 51 * scale, "male": 50 * scale})
        census_table(
            lsoa,
            "TS021",
            {
                "white_british": 80 * scale,
                "asian_pakistani": 15 * scale,
                "black_african": 6 * scale,
            },
        )
        census_table(
            lsoa,
            "TS038",
            {
                "disabled_limited_a_lot": 10 * scale,
                "disabled_limited_a_little": 12 * scale,
                "not_disabled_condition_not_limited": 7 * scale,
                "not_disabled_no_condition": 72 * scale,
            },
        )
    TargetFactory(dimension="age", category="16_24", minimum_percent=10, maximum_percent=20)
    for i in range(40):
        person_with(
            ward=ward,
            lsoa=better_off if i % 5 else deprived,
            actions=1 + i % 4,
            year_of_birth=1940 + i,
            sex="female" if i % 3 else "male",
            ethnic_group="white_british" if i < 36 else "asian_pakistani",
            disability="not_disabled_no_condition" if i % 8 else "disabled_limited_a_little",
        )
    report = Report.objects.get(
        pk=ReportFactory(
            scope_kind=ScopeKind.AREA,
            obj=aap,
            requested_by=officer,
            start=date(2026, 1, 1),
            end=date(2026, 6, 30),
        ).pk
    )
    return report_generate(report_id=report.pk)


def test_officer_requests_a_report_by_keyboard_and_reads_it(new_page, officer, rich_report, aap):
    # given
    page = new_page(user=officer)
    page.goto(reverse("inclusion:report_list"))
    assert_accessible(page)
    save_screenshot(page, "inclusion-report-list")
    page.get_by_role("link", name="Request a report").click()
    assert_accessible(page)
    save_screenshot(page, "inclusion-report-request")
    # when: an empty form is sent
    page.get_by_role("button", name="Request the report").click()
    # then
    assert_error_page(page)
    assert_accessible(page)
    save_screenshot(page, "inclusion-report-request-errors")
    # when: filled in by keyboard
    page.get_by_label("What is the report about?").select_option(f"area:{aap.pk}")
    page.get_by_label("From (month)").select_option("2026-01")
    page.get_by_label("To (month)").select_option("2026-06")
    page.get_by_role("button", name="Request the report").focus()
    page.keyboard.press("Enter")
    # then: the report's page (worked out at once: no broker in tests)
    page.wait_for_selector("h2#who-is-missing")
    assert_accessible(page)
    save_screenshot(page, "inclusion-report-detail")


def test_report_page_reads_well_on_a_phone(new_page, board_member, rich_report):
    page = new_page(user=board_member, viewport=PHONE)
    page.goto(rich_report.get_absolute_url())
    assert_accessible(page)
    assert fits_the_screen(page)
    save_screenshot(page, "inclusion-report-detail-phone")


def test_queued_report_shows_its_progress(new_page, officer, aap, monkeypatch):
    monkeypatch.setattr("engagement.inclusion.views.job_dispatch", lambda **kwargs: False)
    monkeypatch.setattr("coproduction.jobs.services.job_dispatch", lambda **kwargs: False)
    report = ReportFactory(obj=aap, requested_by=officer)
    page = new_page(user=officer)
    page.goto(report.get_absolute_url())
    assert page.get_by_role("status").is_visible()
    assert_accessible(page)
    save_screenshot(page, "inclusion-report-queued")


def test_public_report_on_a_phone_by_keyboard(new_page, officer, rich_report):
    # given
    report_publish(report=rich_report, actor=officer, public=True)
    page = new_page(viewport=PHONE)
    page.goto(reverse("inclusion:public_list"))
    assert_accessible(page)
    assert fits_the_screen(page)
    save_screenshot(page, "inclusion-public-list-phone")
    # when: the report is opened by keyboard
    page.get_by_role("link", name=rich_report.scope_label).focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h2#who-is-missing")
    # then
    assert_accessible(page)
    assert fits_the_screen(page)
    assert "Published figures" in page.content()
    save_screenshot(page, "inclusion-public-detail-phone")


def test_targets_pages(new_page, officer, aap):
    target = TargetFactory(area=aap)
    page = new_page(user=officer)
    page.goto(reverse("inclusion:target_list"))
    assert_accessible(page)
    save_screenshot(page, "inclusion-target-list")
    phone = new_page(user=officer, viewport=PHONE)
    phone.goto(reverse("inclusion:target_list"))
    # the table scrolls within its region; the page itself does not
    assert fits_the_screen(phone)
    save_screenshot(phone, "inclusion-target-list-phone")
    page.goto(reverse("inclusion:target_create"))
    page.get_by_role("button", name="Save target").click()
    assert_error_page(page)
    assert_accessible(page)
    save_screenshot(page, "inclusion-target-form-errors")
    page.goto(reverse("inclusion:target_delete", args=[target.pk]))
    assert_accessible(page)
