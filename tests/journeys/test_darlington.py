"""Journey 1, Darlington Street Champions (issue 10).

A resident signs up on a 320 px phone, confirms by email, is approved and inducted,
reports fly-tipping with a photo; it jumps the area team's queue; the team fixes it; the
champion sees it fixed; an officer runs a litter campaign event and takes attendance; the
monthly report shows reports per area and response times.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import Attendance, Event, IssueReport, StreetChampion
from tests.accounts.factories import OfficerFactory
from tests.browser import DESKTOP, PHONE
from tests.engagement.factories import AreaTeamFactory, IssueReportFactory, ParticipantFactory
from tests.journeys.places import place_build
from tests.journeys.steps import look, sample_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Bank-Top-litter-2026"


@pytest.fixture
def darlington(db):
    place = place_build(
        council="Darlington Borough Council",
        area="Darlington town",
        area_label="Area team patch",
        wards={"Park East": "DL1 4AA", "Bank Top and Lascelles": "DL1 5BB"},
    )
    AreaTeamFactory(name="Street scene: town centre", areas=[place.area])
    officer = OfficerFactory(full_name="Karen Whitfield", areas=[place.area])
    # A resident's report from yesterday, already in the queue: the champion's must jump it.
    neighbour = ParticipantFactory(full_name="Tom Neighbour", home_ward=place.ward)
    earlier = IssueReportFactory(
        reporter=neighbour, ward=place.ward, category_slug="litter", description="Bin overflowing"
    )
    IssueReport.objects.filter(pk=earlier.pk).update(created_at=timezone.now() - timedelta(days=1))
    return place, officer, earlier


def in_days(n: int, at: str) -> str:
    return (timezone.localdate() + timedelta(days=n)).strftime("%d/%m/%Y ") + at


def test_darlington_street_champions(new_page, darlington, tmp_path):
    _place, officer, earlier = darlington
    # 1. A resident signs up on a 320 px phone.
    phone = new_page(viewport=PHONE)
    phone.goto("/")
    look(phone, "darlington-landing-phone", phone=True, guide="resident-landing")
    phone.get_by_role("link", name="Become a street champion").click()
    look(phone, "darlington-champion-start", phone=True, guide="resident-champion-start")
    phone.get_by_role("button", name="Start now").click()
    phone.get_by_label("Full name").fill("Maureen Pike")
    phone.get_by_label("Email address").fill("maureen.pike@example.org")
    phone.get_by_label("Email", exact=True).check()
    look(phone, "darlington-champion-contact", phone=True)
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Your postcode", exact=True).fill("dl1 4aa")
    look(phone, "darlington-champion-postcode", phone=True)
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Which streets").fill("Yarm Road and Park Place")
    look(phone, "darlington-champion-patch", phone=True)
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Report problems in my patch").check()
    phone.get_by_label("Yes").check()
    look(phone, "darlington-champion-activities", phone=True)
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("Involve me").check()
    look(phone, "darlington-champion-level", phone=True)
    phone.get_by_role("button", name="Continue").click()
    look(phone, "darlington-champion-equality", phone=True)
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("I agree").check()
    look(phone, "darlington-champion-consent", phone=True)
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_text("Park East")).to_be_visible()
    look(phone, "darlington-champion-check", phone=True, guide="resident-champion-check")
    phone.get_by_role("button", name="Sign up").click()
    expect(phone.get_by_role("heading", name="Sign-up sent")).to_be_visible()
    look(phone, "darlington-champion-done", phone=True)

    # 2. ... confirms from the email, chooses a password and signs in.
    email = next(m for m in mail.outbox if "maureen.pike@example.org" in m.to)
    link = re.search(r"https?://\S+/street-champions/confirm/\S+/", email.body).group(0)
    phone.goto(urlsplit(link).path)
    look(phone, "darlington-champion-confirm", phone=True)
    phone.get_by_role("button", name="Confirm my email address").click()
    phone.get_by_label("New password", exact=True).fill(PASSWORD)
    phone.get_by_label("New password confirmation").fill(PASSWORD)
    look(phone, "darlington-champion-password", phone=True)
    phone.get_by_role("button", name="Save password").click()
    champion = StreetChampion.objects.get(participant__email="maureen.pike@example.org")
    assert champion.status == StreetChampion.Status.AWAITING_APPROVAL
    phone.goto(reverse("accounts:login"))
    phone.get_by_label("Email address").fill("maureen.pike@example.org")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("heading", name="Welcome, Maureen")).to_be_visible()
    expect(phone.get_by_text("waiting for the council to approve")).to_be_visible()
    look(phone, "darlington-resident-home-awaiting", phone=True)

    # 3. The officer approves and inducts the new champion.
    desk = new_page(user=officer, viewport=DESKTOP)
    desk.goto("/")
    desk.get_by_role("link", name=re.compile(r"1 street champion waiting for approval")).click()
    look(desk, "darlington-officer-champions-waiting")
    desk.get_by_role("link", name="Maureen Pike").click()
    look(desk, "darlington-officer-champion-detail", guide="officer-champion-approve")
    desk.get_by_role("button", name="Approve").click()
    expect(desk.get_by_text("Champion approved.")).to_be_visible()
    desk.get_by_label("Kit handed over (optional)").fill("Litter picker, hoop, gloves, hi-vis")
    desk.get_by_role("button", name="Record induction").click()
    expect(desk.get_by_text("Induction recorded.")).to_be_visible()
    look(desk, "darlington-officer-champion-inducted")
    champion.refresh_from_db()
    assert champion.status == StreetChampion.Status.ACTIVE
    assert champion.inducted_on == timezone.localdate()

    # 4. The champion reports fly-tipping with a photo, on the phone.
    phone.goto("/")
    expect(phone.get_by_text("You are a street champion for Park East")).to_be_visible()
    look(phone, "darlington-champion-home", phone=True, guide="resident-home")
    phone.get_by_role("link", name="Report a problem").first.click()
    phone.get_by_label("Fly-tipping").check()
    phone.get_by_label("Postcode nearest").fill("DL1 4AA")
    look(phone, "darlington-report-where", phone=True, guide="resident-report-where")
    phone.get_by_role("button", name="Continue", exact=True).click()
    phone.get_by_label("Describe the problem").fill("Sofa and six bags dumped in the back lane")
    phone.get_by_label("Photo (optional)", exact=True).set_input_files(sample_photo(tmp_path))
    look(phone, "darlington-report-details", phone=True)
    phone.get_by_role("button", name="Send report").click()
    expect(phone.get_by_text("Report sent")).to_be_visible()
    look(phone, "darlington-report-sent", phone=True)
    report = IssueReport.objects.exclude(pk=earlier.pk).get()
    assert report.photos.count() == 1

    # 5. It jumps the area team's queue.
    desk.goto(reverse("engagement:report_queue"))
    rows = desk.locator("table tbody tr")
    expect(rows.first).to_contain_text(report.reference)
    expect(rows.first).to_contain_text("Champion")
    expect(rows.nth(1)).to_contain_text(earlier.reference)
    look(desk, "darlington-officer-queue", guide="officer-report-queue")

    # 6. The team fixes it.
    desk.get_by_role("link", name=report.reference).click()
    look(desk, "darlington-officer-report-manage")
    desk.get_by_label("New status").select_option(label="Fixed")
    desk.get_by_label("Update for the reporter (optional)").fill("Cleared this morning.")
    desk.get_by_role("button", name="Update status").click()
    expect(desk.get_by_text("Status updated. The reporter has been told.")).to_be_visible()

    # 7. The champion sees it fixed.
    phone.goto("/")
    phone.get_by_role("link", name=re.compile(report.reference)).click()
    expect(phone.locator(".govuk-tag", has_text="Fixed")).to_be_visible()
    expect(phone.get_by_text("Cleared this morning.")).to_be_visible()
    expect(phone.get_by_text("days after it was reported")).to_be_visible()
    look(phone, "darlington-report-fixed", phone=True, guide="resident-report-fixed")

    # 8. An officer runs a litter campaign event and takes attendance.
    desk.goto(reverse("engagement:event_create"))
    desk.get_by_label("Title").fill("Spring clean: Park East litter campaign")
    desk.get_by_label("Kind of event").select_option(label="Litter pick")
    desk.get_by_label("Starts").fill(in_days(3, "10:00"))
    desk.get_by_label("Ends").fill(in_days(3, "12:00"))
    desk.get_by_label("Where").fill("South Park gates, Parkside")
    desk.get_by_label("Area", exact=True).select_option(label="Park East")
    desk.get_by_label("The public can register on the event's page").check()
    look(desk, "darlington-officer-event-create", guide="officer-event-create")
    desk.get_by_role("button", name=re.compile("Create event|Save")).click()
    expect(desk.get_by_text("Event created.")).to_be_visible()
    event_url = desk.url
    phone.goto(reverse("engagement:event_list_public"))
    phone.get_by_role("link", name="Spring clean: Park East litter campaign").click()
    look(phone, "darlington-event-public", phone=True)
    phone.get_by_role("link", name=re.compile("Register|Sign up")).first.click()
    look(phone, "darlington-event-register", phone=True)
    phone.get_by_role("button", name=re.compile("Register|Sign up")).click()
    look(phone, "darlington-event-registered", phone=True)
    # The day comes: the register takes ticks from the event's day.
    held = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    Event.objects.filter(title="Spring clean: Park East litter campaign").update(
        starts_at=held, ends_at=held + timedelta(hours=2)
    )
    desk.goto(event_url)
    desk.get_by_label("Came: Maureen Pike").check()
    desk.get_by_label("Hours given by Maureen Pike").fill("2")
    desk.get_by_role("button", name="Save attendance").click()
    expect(desk.get_by_text("Attendance saved")).to_be_visible()
    look(desk, "darlington-officer-attendance", guide="officer-attendance")
    attendance = Attendance.objects.get(participant=champion.participant)
    assert attendance.status == Attendance.Status.ATTENDED

    # 9. The monthly report shows reports per area and response times.
    desk.goto(reverse("engagement:report_stats"))
    month = timezone.localdate().strftime("%b %Y")
    # The officer's area and its ward each have a row for the month: the same figures.
    table = desk.get_by_role("table", name="By area and month")
    row = table.locator("tbody tr", has_text=month).first
    cells = row.locator("td")
    expect(cells.nth(2)).to_have_text("2")  # reports
    expect(cells.nth(3)).to_have_text("1")  # by champions
    expect(cells.nth(4)).to_have_text("1")  # fixed
    expect(cells.nth(6)).not_to_have_text("\u2013")  # average first response
    look(desk, "darlington-officer-monthly-report", guide="officer-monthly-report")
