"""Volunteering in Chromium: the journeys of issue 6 driven by a person, and every page
through axe-core (WCAG 2.2 AA) with a screenshot; public and volunteers' pages at 320 px."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import RiskAssessment, ToolkitLoan
from tests.accounts.factories import OfficerFactory
from tests.browser import PHONE, assert_accessible, save_screenshot
from tests.engagement.factories import (
    ActivityReportFactory,
    DisclaimerFactory,
    DisclaimerSignatureFactory,
    IncidentFactory,
    ParticipantFactory,
    ProhibitedTaskFactory,
    RiskAssessmentFactory,
    RosterEntryFactory,
    StreetChampionFactory,
    ToolkitFactory,
    ToolkitLoanFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    VolunteerActivityFactory,
    VolunteerFactory,
    VolunteerTaskFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def check(page, name: str, *, phone: bool = False) -> None:
    assert_accessible(page)
    if phone:
        assert fits_the_screen(page), name
    save_screenshot(page, f"volunteering-{name}")


def in_days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).strftime("%d/%m/%Y")


def test_an_officer_approves_a_litter_picks_assessment_written_by_a_colleague(
    new_page, officer, ward
):
    # given
    task = VolunteerTaskFactory(name="Litter pick")
    author = OfficerFactory(areas=[ward], full_name="Helen Murray")
    assessment = RiskAssessmentFactory(
        task=task, area=ward, author=author, status="submitted", site="Abbey Fields park"
    )
    page = new_page(user=officer)
    # when
    page.goto(reverse("engagement:volunteering_dashboard"))
    check(page, "dashboard")
    page.get_by_role("link", name=f"{assessment.reference}: Litter pick").click()
    check(page, "assessment-detail-submitted")
    page.get_by_label("Review by").fill(in_days(180))
    page.get_by_role("button", name="Approve", exact=True).click()
    # then
    expect(page.get_by_text(f"{assessment.reference} approved.")).to_be_visible()
    check(page, "assessment-detail-approved")
    assessment.refresh_from_db()
    assert assessment.status == RiskAssessment.Status.APPROVED
    assert assessment.approved_by == officer


def test_an_author_writes_an_assessment_by_keyboard_and_cannot_approve_it(new_page, officer, ward):
    # given
    VolunteerTaskFactory(name="Graffiti removal")
    page = new_page(user=officer)
    page.goto(reverse("engagement:assessment_create"))
    check(page, "assessment-create")
    # when: an empty form shows the error summary first
    page.get_by_role("button", name="Save draft").click()
    expect(page).to_have_title(re.compile("^Error: "))
    check(page, "assessment-create-errors")
    page.get_by_label("Task").select_option(label="Graffiti removal")
    page.get_by_label("Where it applies").select_option(label="Town Centre")
    page.get_by_label("Emergency arrangements").fill("First aid kit with the lead; call 999")
    page.get_by_label("Insurance").fill("Council public liability insurance")
    first = page.locator("fieldset", has_text="Hazard 1")
    first.get_by_label("Hazard", exact=True).fill("Graffiti solution splashes")
    first.get_by_label("Who might be harmed, and how").fill("Volunteers: eyes and skin")
    first.get_by_label("Likelihood before controls").select_option("3")
    first.get_by_label("Severity before controls").select_option("3")
    first.get_by_label("Controls", exact=True).fill("Goggles and gloves; non-hazardous wipes only")
    first.get_by_label("Likelihood with the controls").select_option("1")
    first.get_by_label("Severity with the controls").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit for approval").click()
    # then
    expect(page.get_by_text("Another competent officer, not you, must approve it")).to_be_visible()
    assert page.get_by_role("button", name="Approve", exact=True).count() == 0
    check(page, "assessment-detail-own")
    assert RiskAssessment.objects.get().status == RiskAssessment.Status.SUBMITTED


def test_a_trained_champion_borrows_a_kit_and_is_rostered_and_an_untrained_one_is_refused(
    new_page, officer, ward
):
    # given
    course = TrainingCourseFactory(name="Safe use of the environmental toolkit")
    task = VolunteerTaskFactory(name="Litter pick", required_training=[course])
    RiskAssessmentFactory(task=task, area=ward)
    kit = ToolkitFactory(home_area=ward, code="NF-ENV-03", required_training=course)
    disclaimer = DisclaimerFactory()
    trained = StreetChampionFactory(
        participant__home_ward=ward, participant__full_name="Maureen Pike"
    ).participant
    VolunteerFactory(participant=trained)
    TrainingRecordFactory(participant=trained, course=course)
    DisclaimerSignatureFactory(participant=trained, disclaimer=disclaimer)
    untrained = StreetChampionFactory(
        participant__home_ward=ward, participant__full_name="Derek Hall"
    ).participant
    VolunteerFactory(participant=untrained)
    DisclaimerSignatureFactory(participant=untrained, disclaimer=disclaimer)
    activity = VolunteerActivityFactory(task=task, area=ward, title="Abbey Fields litter pick")
    page = new_page(user=officer)
    # when: lending the kit
    page.goto(reverse("engagement:toolkit_lend", args=[kit.pk]))
    check(page, "toolkit-lend")
    page.get_by_label("Lend to").select_option(label="Derek Hall (Town Centre): needs training")
    page.get_by_role("button", name="Lend the kit").click()
    # then: refused, with the reason
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("link", name="Derek Hall has no Safe use")).to_be_visible()
    check(page, "toolkit-lend-refused")
    page.get_by_label("Lend to").select_option(label="Maureen Pike (Town Centre)")
    page.get_by_label("For which group (optional)").fill("Abbey Fields NAG")
    page.get_by_role("button", name="Lend the kit").click()
    expect(page.get_by_text("NF-ENV-03 lent to Maureen Pike")).to_be_visible()
    check(page, "toolkit-detail-on-loan")
    assert ToolkitLoan.objects.get().holder == trained
    # when: rostering
    page.goto(activity.get_absolute_url())
    check(page, "activity-detail")
    page.get_by_label("Volunteer", exact=True).select_option(label="Derek Hall (Town Centre)")
    page.get_by_role("button", name="Roster", exact=True).click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(
        page.get_by_role(
            "link", name="Derek Hall has no Safe use of the environmental toolkit training"
        )
    ).to_be_visible()
    check(page, "activity-roster-refused")
    page.get_by_label("Volunteer", exact=True).select_option(label="Maureen Pike (Town Centre)")
    page.get_by_role("button", name="Roster", exact=True).click()
    # then
    expect(page.get_by_text("Maureen Pike rostered.")).to_be_visible()
    assert list(activity.roster.values_list("participant", flat=True)) == [trained.pk]


def test_every_officer_page_is_accessible(new_page, officer, ward):
    # given
    course = TrainingCourseFactory()
    task = VolunteerTaskFactory(name="Litter pick", required_training=[course])
    ProhibitedTaskFactory(name="Street lighting repairs")
    approved = RiskAssessmentFactory(task=task, area=ward, site="Abbey Fields park")
    draft = RiskAssessmentFactory(task=task, area=ward.parent, status="draft")
    activity = VolunteerActivityFactory(task=task, area=ward)
    volunteer = VolunteerFactory(participant__home_ward=ward).participant
    TrainingRecordFactory(participant=volunteer, course=course)
    RosterEntryFactory(activity=activity, participant=volunteer)
    loan = ToolkitLoanFactory(toolkit=ToolkitFactory(home_area=ward))
    report = ActivityReportFactory(reporter=volunteer, task=task, loan=None)
    incident = IncidentFactory(activity=activity, kind="accident", injury_details="Cut finger")
    page = new_page(user=officer)
    urls = {
        "task-list": reverse("engagement:task_list"),
        "task-create": reverse("engagement:task_create"),
        "task-edit": reverse("engagement:task_edit", args=[task.pk]),
        "assessment-list": reverse("engagement:assessment_list"),
        "assessment-detail": approved.get_absolute_url(),
        "assessment-edit": reverse("engagement:assessment_edit", args=[draft.pk]),
        "volunteer-list": reverse("engagement:volunteer_list"),
        "volunteer-detail": reverse("engagement:volunteer_detail", args=[volunteer.pk]),
        "activity-list": reverse("engagement:activity_list"),
        "activity-create": reverse("engagement:activity_create"),
        "activity-edit": reverse("engagement:activity_edit", args=[activity.pk]),
        "toolkit-list": reverse("engagement:toolkit_list"),
        "toolkit-create": reverse("engagement:toolkit_create"),
        "toolkit-detail": loan.toolkit.get_absolute_url(),
        "toolkit-edit": reverse("engagement:toolkit_edit", args=[loan.toolkit_id]),
        "loan-return": reverse("engagement:loan_return", args=[loan.pk]),
        "activity-report-list": reverse("engagement:activity_report_list"),
        "activity-report-detail": report.get_absolute_url(),
        "incident-list": reverse("engagement:incident_list"),
        "incident-detail": incident.get_absolute_url(),
        "incident-report": reverse("engagement:incident_report", args=[activity.pk]),
    }
    for name, url in urls.items():
        page.goto(url)
        check(page, name)
    # and a schedule refused by the gate
    page.goto(reverse("engagement:activity_create"))
    page.get_by_label("Title").fill("Weeding the planters")
    page.get_by_label("Task").select_option(label="Litter pick")
    page.get_by_label("Area", exact=True).select_option(label="Northfield Central")
    page.get_by_label("Where").fill("High Street")
    page.get_by_label("Starts").fill(f"{in_days(3)} 10:00")
    page.get_by_label("Ends").fill(f"{in_days(3)} 12:00")
    page.get_by_role("button", name="Schedule activity").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("link", name="The risk assessment for Litter pick")).to_be_visible()
    check(page, "activity-create-refused")


def test_an_officer_records_who_took_part_on_a_phone(new_page, officer, ward):
    # given: a café session under way, with a volunteer on its roster
    started = timezone.now() - timedelta(hours=1)
    activity = VolunteerActivityFactory(
        area=ward, title="Tuesday café", starts_at=started, ends_at=started + timedelta(hours=3)
    )
    volunteer = VolunteerFactory(participant__home_ward=ward).participant
    RosterEntryFactory(activity=activity, participant=volunteer)
    page = new_page(user=officer, viewport=PHONE)
    # when
    page.goto(reverse("engagement:activity_detail", args=[activity.pk]))
    # then: the register scrolls in its own region; the page does not go sideways
    expect(page.get_by_label(f"Hours given by {volunteer.full_name}")).to_be_attached()
    check(page, "activity-register-phone", phone=True)


def test_a_group_leads_pages_work_on_a_phone_by_keyboard(new_page, resident, ward, settings):
    # given
    participant = ParticipantFactory(
        user=resident, email=resident.email, full_name=resident.full_name, home_ward=ward
    )
    course = TrainingCourseFactory()
    VolunteerTaskFactory(name="Litter pick", required_training=[course])
    ProhibitedTaskFactory(name="Clearing fly-tips with hazardous items")
    loan = ToolkitLoanFactory(toolkit=ToolkitFactory(home_area=ward), holder=participant)
    DisclaimerFactory(in_force_from=timezone.localdate(), text="New wording: version 2")
    activity = VolunteerActivityFactory(area=ward, title="Station Road clean-up")
    RosterEntryFactory(activity=activity, participant=participant, role="lead")
    page = new_page(user=resident, viewport=PHONE)
    # when: their page, then the public list of jobs
    page.goto(reverse("engagement:my_volunteering"))
    check(page, "my-volunteering-phone", phone=True)
    page.goto(reverse("engagement:volunteer_jobs"))
    check(page, "jobs-phone", phone=True)
    # signing the new disclaimer by keyboard
    page.goto(reverse("engagement:my_disclaimer"))
    check(page, "my-disclaimer-phone", phone=True)
    page.get_by_label("I have read the disclaimer and agree to it").focus()
    page.keyboard.press("Space")
    page.get_by_label("Type your full name to sign").focus()
    page.keyboard.press("End")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_text("you signed version 2")).to_be_visible()
    # reporting an activity
    page.goto(reverse("engagement:activity_report_create"))
    check(page, "activity-report-create-phone", phone=True)
    page.get_by_role("button", name="Send report").click()
    expect(page).to_have_title(re.compile("^Error: "))
    check(page, "activity-report-create-errors-phone", phone=True)
    page.get_by_label("What did you do?").select_option(label="Litter pick")
    page.get_by_label("Where", exact=True).fill("Verges along Station Road")
    page.get_by_label("Bags of litter collected").fill("8")
    page.get_by_label("How many people took part").fill("4")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you: report AR")).to_be_visible()
    # reporting an incident on an activity they lead
    page.goto(reverse("engagement:incident_report", args=[activity.pk]))
    check(page, "incident-report-phone", phone=True)
    page.get_by_label("Near miss").check()
    page.get_by_label("Describe what happened").fill("A needle under leaves; no one touched it")
    page.get_by_role("button", name="Report the incident").click()
    # then
    expect(page.get_by_text("reported. The council will review")).to_be_visible()
    assert loan.activity_reports.count() == 1


def test_the_public_list_of_jobs_is_accessible_to_visitors_at_320px(new_page):
    # given
    VolunteerTaskFactory(name="Hand out recycling bags", minimum_age=14)
    ProhibitedTaskFactory(name="Structural repairs", instead="Report them to the council.")
    page = new_page(viewport=PHONE)
    # when
    page.goto(reverse("engagement:volunteer_jobs"))
    # then
    check(page, "jobs-visitor-phone", phone=True)
    expect(
        page.get_by_role("link", name="Report structural repairs to the council")
    ).to_be_visible()


def test_a_group_lead_drafts_a_risk_assessment(new_page, resident, ward):
    # given
    participant = ParticipantFactory(user=resident, email=resident.email, home_ward=ward)
    ToolkitLoanFactory(toolkit=ToolkitFactory(home_area=ward), holder=participant)
    VolunteerTaskFactory(name="Weeding")
    page = new_page(user=resident, viewport=PHONE)
    # when
    page.goto(reverse("engagement:assessment_create"))
    check(page, "assessment-create-group-lead-phone", phone=True)
    page.get_by_label("Task").select_option(label="Weeding")
    page.get_by_label("Where it applies").select_option(label="Town Centre")
    page.get_by_label("Emergency arrangements").fill("Mobile phone; call 999")
    page.get_by_label("Insurance").fill("The council's volunteer cover")
    first = page.locator("fieldset", has_text="Hazard 1")
    first.get_by_label("Hazard", exact=True).fill("Thorns")
    first.get_by_label("Who might be harmed, and how").fill("Volunteers: cuts")
    first.get_by_label("Likelihood before controls").select_option("3")
    first.get_by_label("Severity before controls").select_option("2")
    first.get_by_label("Controls", exact=True).fill("Gloves")
    first.get_by_label("Likelihood with the controls").select_option("1")
    first.get_by_label("Severity with the controls").select_option("2")
    page.get_by_role("button", name="Save draft").click()
    # then
    expect(page.get_by_text("saved. Submit it for approval")).to_be_visible()
    check(page, "assessment-detail-group-lead-phone", phone=True)
    assert RiskAssessment.objects.get().author == resident
