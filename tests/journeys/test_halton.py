"""Journey 3, Halton community centres (issue 10).

Volunteers are inducted with the volunteer involvement pack; a café volunteering task gets
an approved risk assessment (written by one officer, approved by another); a volunteer
without induction is refused; hours are recorded and count as taking part.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import (
    ActivityRosterEntry,
    ParticipationRecord,
    RiskAssessment,
    VolunteerActivity,
)
from tests.accounts.factories import OfficerFactory
from tests.browser import DESKTOP
from tests.engagement.factories import ParticipantFactory, VolunteerFactory
from tests.journeys.places import place_build
from tests.journeys.steps import look

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAFE = "Community café: serving and washing up"
NOT_INDUCTED = {
    "inducted_on": None,
    "pack_acknowledged": False,
    "emergency_procedures_covered": False,
    "role_boundaries_covered": False,
}


@pytest.fixture
def halton(db):
    place = place_build(
        council="Halton Borough Council",
        area="Widnes community centres",
        area_label="Community centres",
        wards={"Ditton": "WA8 7AA", "Appleton": "WA8 6BB"},
    )
    manager = OfficerFactory(full_name="Lisa Marsh", areas=[place.area])
    safety = OfficerFactory(full_name="Raj Patel", areas=[place.area])
    ready = ParticipantFactory(full_name="Peter Lomax", home_ward=place.ward)
    VolunteerFactory(participant=ready, **NOT_INDUCTED)
    not_inducted = ParticipantFactory(full_name="Jean Dawson", home_ward=place.ward)
    VolunteerFactory(participant=not_inducted, **NOT_INDUCTED)
    return place, manager, safety, ready, not_inducted


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_halton_community_centres(new_page, halton):
    _place, manager, safety, ready, not_inducted = halton
    desk = new_page(user=manager, viewport=DESKTOP)

    # 1. The centre manager inducts Peter with the volunteer involvement pack.
    desk.goto(reverse("engagement:volunteer_list"))
    look(desk, "halton-volunteers")
    desk.get_by_role("link", name="Peter Lomax").click()
    look(desk, "halton-volunteer-detail", guide="officer-volunteer-induction")
    for part in [
        "The volunteer involvement pack, read and acknowledged",
        "Emergency procedures: what to do and whom to call",
        "The boundaries of the role: what volunteers do and do not do",
    ]:
        desk.get_by_label(part).check()
    desk.get_by_label("Version of the volunteer involvement pack (optional)").fill("VIP 2026")
    desk.get_by_role("button", name="Record induction").click()
    expect(desk.get_by_text("Induction recorded")).to_be_visible()
    look(desk, "halton-volunteer-inducted")

    # 2. The café task, and its risk assessment written by the centre manager.
    desk.goto(reverse("engagement:task_create"))
    desk.get_by_label("Name of the task").fill(CAFE)
    desk.get_by_label("What it involves").fill(
        "Taking orders, serving hot drinks and cakes, washing up. No keys, no rota."
    )
    desk.get_by_role("group", name="Is it a job for the experts").get_by_label("No").check()
    desk.get_by_label("Hazards").fill("Hot water and drinks\nWet floors\nFood allergies")
    desk.get_by_label("Minimum age").fill("16")
    look(desk, "halton-task-create")
    desk.get_by_role("button", name="Save task").click()
    expect(desk.get_by_text(f"{CAFE} added to the tasks.")).to_be_visible()
    desk.goto(reverse("engagement:assessment_create"))
    desk.get_by_label("Task").select_option(label=CAFE)
    desk.get_by_label("Where it applies").select_option(label="Widnes community centres")
    desk.get_by_label("A particular site (optional)").fill("Ditton Community Centre café")
    desk.get_by_label("Emergency arrangements").fill("First aider on duty; call 999")
    desk.get_by_label("Insurance").fill("Council public liability insurance")
    first = desk.locator("fieldset", has_text="Hazard 1")
    first.get_by_label("Hazard", exact=True).fill("Scalds from the urn")
    first.get_by_label("Who might be harmed, and how").fill("Volunteers and customers: burns")
    first.get_by_label("Likelihood before controls").select_option("3")
    first.get_by_label("Severity before controls").select_option("3")
    first.get_by_label("Controls", exact=True).fill("Staff fill the urn; volunteers serve only")
    first.get_by_label("Likelihood with the controls").select_option("1")
    first.get_by_label("Severity with the controls").select_option("3")
    look(desk, "halton-assessment-create", guide="officer-assessment-create")
    desk.get_by_role("button", name="Save draft").click()
    desk.get_by_role("button", name="Submit for approval").click()
    expect(
        desk.get_by_text("Submitted for approval by another competent officer.")
    ).to_be_visible()
    assessment = RiskAssessment.objects.get(task__name=CAFE)

    # 3. Another officer sees it waiting on their home page and approves it.
    checker = new_page(user=safety, viewport=DESKTOP)
    checker.goto("/")
    look(checker, "halton-safety-officer-home", guide="officer-home")
    checker.get_by_role("link", name="1 risk assessment to approve").click()
    look(checker, "halton-volunteering-dashboard")
    checker.get_by_role("link", name=f"{assessment.reference}: {CAFE}").click()
    checker.get_by_label("Review by").fill(
        (timezone.localdate() + timedelta(days=180)).strftime("%d/%m/%Y")
    )
    look(checker, "halton-assessment-approve", guide="officer-assessment-approve")
    checker.get_by_role("button", name="Approve", exact=True).click()
    expect(checker.get_by_text(f"{assessment.reference} approved.")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.status == RiskAssessment.Status.APPROVED
    assert assessment.approved_by == safety

    # 4. The manager schedules this morning's café session (under way: begun an hour ago,
    # or at midnight when the test runs in the first hour of the day).
    now = timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    desk.goto(reverse("engagement:activity_create"))
    desk.get_by_label("Title").fill("Tuesday café")
    desk.get_by_label("Task").select_option(label=CAFE)
    desk.get_by_label("Area", exact=True).select_option(label="Ditton")
    desk.get_by_label("Where").fill("Ditton Community Centre, Hough Green Road")
    desk.get_by_label("Starts").fill(local(max(now - timedelta(hours=1), midnight)))
    desk.get_by_label("Ends").fill(local(now + timedelta(hours=2)))
    look(desk, "halton-activity-create")
    desk.get_by_role("button", name="Schedule activity").click()
    expect(desk.get_by_text("Tuesday café scheduled.")).to_be_visible()

    # 5. Jean, not inducted, is refused; Peter is rostered.
    desk.get_by_label("Volunteer", exact=True).select_option(label="Jean Dawson (Ditton)")
    desk.get_by_role("button", name="Roster", exact=True).click()
    expect(desk).to_have_title(re.compile("^Error: "))
    expect(desk.get_by_text("Jean Dawson has not been inducted").first).to_be_visible()
    expect(desk.get_by_role("link", name="Record Jean Dawson's induction")).to_be_visible()
    look(desk, "halton-roster-refused", guide="officer-roster-refused")
    desk.get_by_label("Volunteer", exact=True).select_option(label="Peter Lomax (Ditton)")
    desk.get_by_role("button", name="Roster", exact=True).click()
    expect(desk.get_by_text("Peter Lomax rostered.")).to_be_visible()
    activity = VolunteerActivity.objects.get(title="Tuesday café")
    assert list(activity.roster.values_list("participant", flat=True)) == [ready.pk]

    # 6. Hours recorded: they count as taking part.
    desk.get_by_label("Took part: Peter Lomax").check()
    desk.get_by_label("Hours given by Peter Lomax").fill("3")
    desk.get_by_role("button", name="Save who took part").click()
    expect(desk.get_by_text("Hours saved.")).to_be_visible()
    look(desk, "halton-activity-hours", guide="officer-activity-hours")
    entry = ActivityRosterEntry.objects.get(activity=activity)
    assert entry.hours == 3
    assert ParticipationRecord.objects.filter(participant=ready, kind="volunteering").exists()
    assert not ParticipationRecord.objects.filter(participant=not_inducted).exists()
