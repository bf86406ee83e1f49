"""The volunteering pages: the gate's refusals in the error summary, four eyes in the
browser, loans refused with their reason, reports with photos, incidents."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from engagement.models import (
    ActivityReport,
    ActivityRosterEntry,
    DisclaimerSignature,
    Incident,
    RiskAssessment,
    Toolkit,
    ToolkitLoan,
    TrainingRecord,
    Volunteer,
    VolunteerActivity,
    VolunteerTask,
)
from governance.models import AuditEvent
from tests.accounts.factories import OfficerFactory
from tests.engagement.factories import (
    DisclaimerFactory,
    DisclaimerSignatureFactory,
    ParticipantFactory,
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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_commit_now")]


def day(n: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=n)).strftime("%d/%m/%Y")


def when(days: int, hour: int = 10) -> str:
    return f"{day(days)} {hour:02d}:00"


HAZARD_ROW = {
    "hazard": "Sharps: needles and broken glass",
    "who_might_be_harmed": "Volunteers",
    "likelihood_before": "3",
    "severity_before": "4",
    "controls": "Pickers only; puncture-resistant gloves; needles left for the council",
    "likelihood_after": "1",
    "severity_after": "4",
}


def hazard_post(rows: list[dict]) -> dict:
    data = {"hazards-TOTAL_FORMS": str(len(rows)), "hazards-INITIAL_FORMS": str(len(rows))}
    for n, row in enumerate(rows):
        data.update({f"hazards-{n}-{k}": v for k, v in row.items()})
    return data


# Risk assessments -----------------------------------------------------------------------


def test_an_officer_writes_a_litter_pick_assessment_and_a_colleague_approves_it(
    client, officer, ward
):
    # given
    task = VolunteerTaskFactory(name="Litter pick")
    client.force_login(officer)
    # when: written and submitted
    response = client.post(
        reverse("engagement:assessment_create"),
        {
            "task": task.pk,
            "area": ward.pk,
            "site": "Abbey Fields park",
            "emergency_arrangements": "First aid kit with the lead; call 999",
            "insurance": "Council public liability insurance",
            **hazard_post([HAZARD_ROW, dict.fromkeys(HAZARD_ROW, "")]),
        },
    )
    assessment = RiskAssessment.objects.get()
    client.post(assessment.get_absolute_url(), {"action": "submit"})
    own = client.post(
        assessment.get_absolute_url(),
        {"action": "approve", "approve-review_on": day(180)},
    )
    # then: its author cannot approve it
    assert response.status_code == 302
    assert assessment.hazards.count() == 1
    assert own.status_code == 400
    assert b"Error: " in own.content
    assert b"another competent officer must approve it" in own.content
    # when: a colleague approves it
    colleague = OfficerFactory(areas=[ward])
    client.force_login(colleague)
    page = client.get(assessment.get_absolute_url())
    approved = client.post(
        assessment.get_absolute_url(),
        {"action": "approve", "approve-review_on": day(180), "approve-note": "Fine"},
    )
    # then
    assessment.refresh_from_db()
    assert b"Approve" in page.content
    assert approved.status_code == 302
    assert assessment.status == RiskAssessment.Status.APPROVED
    assert assessment.approved_by == colleague
    assert AuditEvent.objects.filter(action="engagement.assessment.read", actor=colleague).exists()


def test_an_assessment_form_with_errors_shows_the_error_summary_and_saves_nothing(
    client, officer, ward
):
    # given
    client.force_login(officer)
    bad_row = {**HAZARD_ROW, "likelihood_after": "5", "severity_after": "5"}
    # when
    response = client.post(
        reverse("engagement:assessment_create"),
        {
            "task": VolunteerTaskFactory().pk,
            "area": ward.pk,
            "emergency_arrangements": "",
            "insurance": "Policy",
            **hazard_post([bad_row]),
        },
    )
    # then
    assert response.status_code == 400
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert "Describe the emergency arrangements" in content
    assert "cannot be higher than before" in content
    assert not RiskAssessment.objects.exists()


def test_an_assessment_needs_at_least_one_hazard(client, officer, ward):
    # given
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:assessment_create"),
        {
            "task": VolunteerTaskFactory().pk,
            "area": ward.pk,
            "emergency_arrangements": "999",
            "insurance": "Policy",
            **hazard_post([dict.fromkeys(HAZARD_ROW, "")]),
        },
    )
    # then
    assert response.status_code == 400
    assert b"List at least one hazard" in response.content


def test_add_another_hazard_keeps_what_was_typed(client, officer, ward):
    # given
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:assessment_create"),
        {"action": "add_hazard", "site": "Canal path", **hazard_post([HAZARD_ROW])},
    )
    # then
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 2
    assert b"Sharps: needles and broken glass" in response.content
    assert b"Canal path" in response.content
    assert b"govuk-error-summary" not in response.content


def test_an_approved_assessment_sends_its_editor_to_start_a_revision(client, officer, ward):
    # given
    assessment = RiskAssessmentFactory(area=ward)
    client.force_login(officer)
    # when
    response = client.get(reverse("engagement:assessment_edit", args=[assessment.pk]))
    revise = client.post(assessment.get_absolute_url(), {"action": "revise"})
    # then
    assert response.url == assessment.get_absolute_url()
    revision = RiskAssessment.objects.get(previous=assessment)
    assert revise.url == reverse("engagement:assessment_edit", args=[revision.pk])


def test_changes_sent_after_the_assessment_was_approved_come_back_to_keep(client, officer, ward):
    """The form was opened on the draft; a colleague approved it before Save: the form
    comes back with what was typed and why (409), and the approved one is unchanged."""
    # given
    assessment = RiskAssessmentFactory(area=ward, site="Park")
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:assessment_edit", args=[assessment.pk]),
        {
            "site": "Canal path",
            "emergency_arrangements": "999",
            "insurance": "Policy",
            "version": assessment.version,
            **hazard_post([HAZARD_ROW]),
        },
    )
    # then
    content = response.content.decode()
    assert response.status_code == 409
    assert "<title>Error: " in content
    assert "has been submitted or approved, so it cannot be changed" in content
    assert "Canal path" in content
    assert "Sharps: needles and broken glass" in content
    assessment.refresh_from_db()
    assert assessment.site == "Park"


def test_a_group_lead_who_wrote_an_approved_assessment_cannot_reopen_it_by_post(
    client, resident, ward
):
    """The page hides the button; a hand-made POST is a 400 that writes nothing."""
    # given
    participant = ParticipantFactory(user=resident, home_ward=ward)
    RosterEntryFactory(participant=participant, role="lead", activity__area=ward)
    assessment = RiskAssessmentFactory(area=ward, author=resident)
    client.force_login(resident)
    # when
    response = client.post(
        assessment.get_absolute_url(), {"action": "reopen", "reason-reason": "Worried"}
    )
    # then
    assessment.refresh_from_db()
    assert response.status_code == 400
    assert b"Only a council officer for" in response.content
    assert assessment.status == RiskAssessment.Status.APPROVED


def test_an_unknown_action_is_a_bad_request(client, officer, ward):
    # given
    assessment = RiskAssessmentFactory(area=ward)
    client.force_login(officer)
    # when
    response = client.post(assessment.get_absolute_url(), {"action": "delete"})
    # then
    assert response.status_code == 400


# Activities and the roster --------------------------------------------------------------


def test_scheduling_without_an_assessment_is_refused_with_what_to_do(client, officer, ward):
    # given
    task = VolunteerTaskFactory(name="Weeding")
    client.force_login(officer)
    data = {
        "title": "Planters on the high street",
        "task": task.pk,
        "area": ward.pk,
        "site": "High Street planters",
        "starts_at": when(5),
        "ends_at": when(5, 12),
    }
    # when
    refused = client.post(reverse("engagement:activity_create"), data)
    RiskAssessmentFactory(task=task, area=ward)
    scheduled = client.post(reverse("engagement:activity_create"), data)
    # then
    assert refused.status_code == 400
    assert b"Error: " in refused.content
    assert b"No risk assessment covers Weeding in Town Centre" in refused.content
    assert b"Write a risk assessment for Weeding" in refused.content
    activity = VolunteerActivity.objects.get()
    assert scheduled.url == activity.get_absolute_url()


def test_a_second_activity_for_an_event_is_refused_in_the_error_summary(client, officer, ward):
    # given: an event with its activity
    from tests.engagement.factories import EventFactory

    event = EventFactory(area=ward, starts_at=timezone.now() + timedelta(days=5))
    first = VolunteerActivityFactory(area=ward, event=event)
    task = VolunteerTaskFactory(name="Weeding")
    RiskAssessmentFactory(task=task, area=ward)
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:activity_create"),
        {
            "title": "Planters on the high street",
            "task": task.pk,
            "area": ward.pk,
            "site": "High Street planters",
            "starts_at": when(5),
            "ends_at": when(5, 12),
            "event": event.pk,
        },
    )
    # then
    assert response.status_code == 400
    assert f"already has its volunteer activity, {first.title}".encode() in response.content
    assert VolunteerActivity.objects.count() == 1


def test_a_job_for_the_experts_is_not_offered_for_scheduling(client, officer, ward):
    # given
    from tests.engagement.factories import ProhibitedTaskFactory

    prohibited = ProhibitedTaskFactory(name="Street lighting repairs")
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:activity_create"),
        {
            "title": "Fix the lamp",
            "task": prohibited.pk,
            "area": ward.pk,
            "site": "Elm Road",
            "starts_at": when(2),
            "ends_at": when(2, 11),
        },
    )
    # then
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not VolunteerActivity.objects.exists()


def test_a_trained_champion_is_rostered_and_an_untrained_one_refused_with_the_reason(
    client, officer, ward
):
    # given
    course = TrainingCourseFactory()
    task = VolunteerTaskFactory(name="Litter pick", required_training=[course])
    RiskAssessmentFactory(task=task, area=ward)
    activity = VolunteerActivityFactory(task=task, area=ward)
    trained = StreetChampionFactory(participant__home_ward=ward, participant__full_name="Maureen")
    VolunteerFactory(participant=trained.participant)
    TrainingRecordFactory(participant=trained.participant, course=course)
    untrained = StreetChampionFactory(participant__home_ward=ward, participant__full_name="Derek")
    VolunteerFactory(participant=untrained.participant)
    client.force_login(officer)
    url = activity.get_absolute_url()
    # when
    ok = client.post(url, {"action": "roster", "participant": trained.participant.pk})
    refused = client.post(url, {"action": "roster", "participant": untrained.participant.pk})
    # then
    assert ok.status_code == 302
    assert refused.status_code == 400
    assert b"Error: " in refused.content
    assert (
        b"Derek has no Safe use of the environmental toolkit training, which Litter pick needs"
        in refused.content
    )
    assert list(activity.roster.values_list("participant__full_name", flat=True)) == ["Maureen"]


def test_hours_are_recorded_from_the_roster_and_bad_hours_refused(client, officer, ward):
    # given
    starts = timezone.now() - timedelta(hours=4)
    activity = VolunteerActivityFactory(
        area=ward, starts_at=starts, ends_at=starts + timedelta(hours=3)
    )
    entry = RosterEntryFactory(activity=activity, participant__home_ward=ward)
    client.force_login(officer)
    url = activity.get_absolute_url()
    # when
    bad = client.post(
        url, {"action": "hours", f"took-part-{entry.pk}": "on", f"hours-{entry.pk}": "lots"}
    )
    entry.refresh_from_db()
    after_bad = (entry.status, entry.hours)
    good = client.post(
        url, {"action": "hours", f"took-part-{entry.pk}": "on", f"hours-{entry.pk}": "2.5"}
    )
    # then
    assert bad.status_code == 400
    assert bad.content.count(b"govuk-error-summary__list") == 1
    assert f'href="#hours-{entry.pk}"'.encode() in bad.content
    assert b"must be a number from 0 to 24" in bad.content
    # Shown again as submitted: the tick and the text the officer typed.
    assert f'name="took-part-{entry.pk}" type="checkbox" checked'.encode() in bad.content
    assert f'name="hours-{entry.pk}" type="text" inputmode="decimal" value="lots"'.encode() in (
        bad.content
    )
    assert after_bad == (ActivityRosterEntry.Status.ROSTERED, None)
    assert good.status_code == 302
    entry.refresh_from_db()
    assert str(entry.hours) == "2.50"
    assert entry.status == ActivityRosterEntry.Status.ATTENDED


def test_hours_sent_after_the_activity_was_cancelled_come_back_as_typed(client, officer, ward):
    # given: the register was open when a colleague cancelled the activity
    starts = timezone.now() - timedelta(hours=4)
    activity = VolunteerActivityFactory(
        area=ward, starts_at=starts, ends_at=starts + timedelta(hours=3), status="cancelled"
    )
    entry = RosterEntryFactory(activity=activity, participant__home_ward=ward)
    client.force_login(officer)
    # when
    response = client.post(
        activity.get_absolute_url(),
        {"action": "hours", f"took-part-{entry.pk}": "on", f"hours-{entry.pk}": "2.5"},
    )
    # then
    content = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#roster-heading">The activity was cancelled.</a>' in content
    assert f'name="took-part-{entry.pk}" type="checkbox" checked' in content
    assert f'name="hours-{entry.pk}" type="text" inputmode="decimal" value="2.5"' in content
    entry.refresh_from_db()
    assert entry.hours is None


def test_hours_before_the_activity_starts_are_a_400_that_says_why(client, officer, ward):
    """A refusal by the service is shown in the error summary, not lost in a redirect."""
    # given
    activity = VolunteerActivityFactory(area=ward)
    entry = RosterEntryFactory(activity=activity, participant__home_ward=ward)
    client.force_login(officer)
    # when
    response = client.post(
        activity.get_absolute_url(),
        {"action": "hours", f"took-part-{entry.pk}": "on", f"hours-{entry.pk}": "2"},
    )
    # then
    entry.refresh_from_db()
    assert response.status_code == 400
    assert b"<title>Error: " in response.content
    assert b"Hours can be recorded once the activity has started" in response.content
    assert entry.status == ActivityRosterEntry.Status.ROSTERED
    assert entry.hours is None


def test_taking_off_a_place_that_is_not_on_the_roster_is_a_bad_request(client, officer, ward):
    # given
    activity = VolunteerActivityFactory(area=ward)
    client.force_login(officer)
    # when
    response = client.post(activity.get_absolute_url(), {"action": "withdraw", "entry": "x1"})
    # then
    assert response.status_code == 400


# Toolkits -----------------------------------------------------------------------------


def test_an_officer_adds_a_kit_with_its_items(client, officer, ward):
    # given
    course = TrainingCourseFactory()
    client.force_login(officer)
    rows = [
        {"kind": "broom", "quantity": "2", "condition": "good"},
        {"kind": "graffiti_wipes", "quantity": "40", "condition": "good"},
        {"kind": "", "quantity": "", "condition": "good"},
    ]
    data = {"items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        data.update({f"items-{n}-{k}": v for k, v in row.items()})
    # when
    response = client.post(
        reverse("engagement:toolkit_create"),
        {
            "code": "nf-env-20",
            "name": "Small group kit",
            "kind": "small_group",
            "home_area": ward.pk,
            "required_training": course.pk,
            "in_service": "on",
            **data,
        },
    )
    # then
    kit = Toolkit.objects.get()
    assert response.url == kit.get_absolute_url()
    assert kit.code == "NF-ENV-20"
    assert sorted(kit.items.values_list("kind", "quantity")) == [
        ("broom", 2),
        ("graffiti_wipes", 40),
    ]


def test_a_loan_to_someone_untrained_is_refused_with_the_reason(client, officer, ward):
    # given
    kit = ToolkitFactory(home_area=ward)
    holder = StreetChampionFactory(participant__home_ward=ward, participant__full_name="Derek")
    DisclaimerSignatureFactory(participant=holder.participant)
    client.force_login(officer)
    data = {"holder": holder.participant.pk, "lent_on": day(), "due_on": day(28)}
    # when
    refused = client.post(reverse("engagement:toolkit_lend", args=[kit.pk]), data)
    TrainingRecordFactory(participant=holder.participant, course=kit.required_training)
    lent = client.post(reverse("engagement:toolkit_lend", args=[kit.pk]), data)
    # then
    assert refused.status_code == 400
    assert b"Error: " in refused.content
    assert b"Derek has no Safe use of the environmental toolkit training" in refused.content
    assert lent.url == kit.get_absolute_url()
    assert ToolkitLoan.objects.get().holder == holder.participant


def test_the_lend_list_says_who_still_needs_training_or_the_disclaimer_signed(
    client, officer, ward
):
    """Every volunteer in the officer's areas is listed (the refusal says how to put right
    what is missing), each not yet ready saying what they need, so the officer does not
    pick them only to be refused."""
    # given
    disclaimer = DisclaimerFactory()
    kit = ToolkitFactory(home_area=ward)
    course = kit.required_training
    people = {
        name: StreetChampionFactory(
            participant__home_ward=ward, participant__full_name=name
        ).participant
        for name in ["Ann", "Ben", "Cath", "Dev", "Eve"]
    }
    for name in ["Ann", "Ben"]:
        TrainingRecordFactory(participant=people[name], course=course)
    for name in ["Ann", "Cath", "Dev"]:
        DisclaimerSignatureFactory(participant=people[name], disclaimer=disclaimer)
    long_ago = timezone.localdate() - timedelta(days=3 * 365)
    TrainingRecordFactory(participant=people["Dev"], course=course, completed_on=long_ago)
    client.force_login(officer)
    # when
    page = client.get(reverse("engagement:toolkit_lend", args=[kit.pk]))
    # then
    labels = [label for value, label in page.context["form"].fields["holder"].choices if value]
    assert labels == [
        f"Ann ({ward.name})",
        f"Ben ({ward.name}): needs to sign the disclaimer",
        f"Cath ({ward.name}): needs training",
        f"Dev ({ward.name}): needs training",
        f"Eve ({ward.name}): needs training and to sign the disclaimer",
    ]


def test_a_refused_loan_links_to_where_the_training_and_signature_are_recorded(
    client, officer, ward
):
    # given someone with neither the kit's training nor the disclaimer in force signed
    disclaimer = DisclaimerFactory()
    kit = ToolkitFactory(home_area=ward)
    holder = StreetChampionFactory(participant__home_ward=ward, participant__full_name="Derek")
    client.force_login(officer)
    url = reverse("engagement:toolkit_lend", args=[kit.pk])
    # when
    refused = client.post(
        url, {"holder": holder.participant.pk, "lent_on": day(), "due_on": day(28)}
    )
    # then the officer is taken to the person's page to record both
    html = refused.content.decode()
    page = reverse("engagement:volunteer_detail", args=[holder.participant.pk])
    assert refused.status_code == 400
    assert f'<a class="govuk-link" href="{page}">Record Derek&#x27;s training</a>' in html
    assert (
        f'<a class="govuk-link" href="{page}">Record Derek&#x27;s paper signature of the '
        "disclaimer</a>"
    ) in html
    # and a refusal with nowhere to go offers no empty "What to do"
    TrainingRecordFactory(participant=holder.participant, course=kit.required_training)
    DisclaimerSignatureFactory(participant=holder.participant, disclaimer=disclaimer)
    tomorrow = {"holder": holder.participant.pk, "lent_on": day(1), "due_on": day(28)}
    html = client.post(url, tomorrow).content.decode()
    assert "A loan is recorded when the kit is handed over." in html
    assert "What to do" not in html


def test_the_lend_page_of_a_kit_already_on_loan_goes_to_the_kit(client, officer, ward):
    # given a kit another officer has just lent
    loan = ToolkitLoanFactory(toolkit=ToolkitFactory(home_area=ward, code="NF-ENV-07"))
    client.force_login(officer)
    # when the lend page is opened from an older page
    response = client.get(reverse("engagement:toolkit_lend", args=[loan.toolkit_id]), follow=True)
    # then the kit's page says where it is, with no form to fill in for nothing
    assert response.redirect_chain == [(loan.toolkit.get_absolute_url(), 302)]
    assert "NF-ENV-07 is already on loan." in response.content.decode()


def test_a_return_records_the_condition_of_each_item(client, officer, ward):
    # given
    loan = ToolkitLoanFactory(toolkit=ToolkitFactory(home_area=ward))
    item = loan.toolkit.items.first()
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:loan_return", args=[loan.pk]),
        {
            "returned_on": day(),
            **{f"item_{i.pk}": "good" for i in loan.toolkit.items.all()},
            f"item_{item.pk}": "missing",
        },
    )
    # then
    loan.refresh_from_db()
    assert response.status_code == 302
    assert loan.return_condition == "missing"


# Volunteers -----------------------------------------------------------------------------


def test_an_officer_records_induction_training_age_and_a_paper_signature(client, officer, ward):
    # given
    person = ParticipantFactory(home_ward=ward)
    course = TrainingCourseFactory()
    DisclaimerFactory()
    client.force_login(officer)
    url = reverse("engagement:volunteer_detail", args=[person.pk])
    # when
    responses = [
        client.post(
            url,
            {
                "action": "induct",
                "induct-inducted_on": day(),
                "induct-covered": [
                    "pack_acknowledged",
                    "emergency_procedures_covered",
                    "role_boundaries_covered",
                ],
            },
        ),
        client.post(
            url,
            {
                "action": "training",
                "training-course": course.pk,
                "training-completed_on": day(-3),
                "training-trainer": "Neighbourhood engagement team",
            },
        ),
        client.post(
            url,
            {
                "action": "age",
                "age-how": "confirmed_adult",
                "age-basis": "legal_obligation",
            },
        ),
        client.post(
            url,
            {
                "action": "paper_signature",
                "paper_signature-signed_on": day(),
                "paper_signature-signed_name": person.full_name,
            },
        ),
    ]
    # then
    assert [r.status_code for r in responses] == [302] * 4
    volunteer = Volunteer.objects.get(participant=person)
    assert volunteer.induction_complete
    assert volunteer.confirmed_adult
    assert TrainingRecord.objects.get(participant=person).course == course
    assert DisclaimerSignature.objects.get(participant=person).method == "paper"


def test_bad_input_on_the_volunteer_page_is_a_400_with_an_error_summary(client, officer, ward):
    # given
    person = ParticipantFactory(home_ward=ward)
    client.force_login(officer)
    url = reverse("engagement:volunteer_detail", args=[person.pk])
    # when
    future = client.post(
        url,
        {
            "action": "induct",
            "induct-inducted_on": day(3),
            "induct-covered": ["pack_acknowledged"],
        },
    )
    nonsense = client.post(url, {"action": "age", "age-how": "date_of_birth"})
    unknown = client.post(url, {"action": "promote"})
    # then
    assert future.status_code == nonsense.status_code == 400
    assert b"The induction date cannot be in the future" in future.content
    assert b"Error: " in nonsense.content
    assert b"Enter the date of birth" in nonsense.content
    assert unknown.status_code == 400
    assert not Volunteer.objects.filter(inducted_on__isnull=False).exists()


# A group lead's pages -------------------------------------------------------------------


@pytest.fixture
def group_lead(resident, ward):
    """The resident holds a kit: a group lead."""
    participant = ParticipantFactory(
        user=resident, email=resident.email, full_name=resident.full_name, home_ward=ward
    )
    loan = ToolkitLoanFactory(toolkit=ToolkitFactory(home_area=ward), holder=participant)
    return loan


def photo_upload(name="site.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_a_group_lead_reports_an_activity_with_a_photo(
    client, resident, group_lead, settings, tmp_path
):
    # given
    settings.MEDIA_ROOT = tmp_path
    task = VolunteerTaskFactory(name="Litter pick")
    client.force_login(resident)
    data = {
        "task": task.pk,
        "loan": group_lead.pk,
        "done_on": day(-1),
        "place": "Bradwell Road verges",
        "bags_collected": "9",
        "volunteers": "5",
        "submission_key": str(uuid.uuid4()),
        "photo_1": photo_upload(),
    }
    # when
    response = client.post(reverse("engagement:activity_report_create"), data)
    report = ActivityReport.objects.get()
    photo = report.photos.get()
    own = client.get(reverse("engagement:activity_report_photo", args=[report.pk, photo.pk]))
    # then
    assert response.url == reverse("engagement:my_volunteering")
    assert (report.bags_collected, report.loan) == (9, group_lead)
    assert own.status_code == 200
    assert own["Content-Type"] == "image/jpeg"


def test_a_file_that_is_not_a_photo_is_refused(client, resident, group_lead):
    # given
    client.force_login(resident)
    # when
    response = client.post(
        reverse("engagement:activity_report_create"),
        {
            "task": VolunteerTaskFactory().pk,
            "done_on": day(),
            "place": "Park",
            "bags_collected": "1",
            "volunteers": "1",
            "submission_key": str(uuid.uuid4()),
            "photo_1": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
        },
    )
    # then
    assert response.status_code == 400
    assert b"is not a photo" in response.content
    assert not ActivityReport.objects.exists()


def test_a_volunteer_signs_the_disclaimer_online(client, resident, ward):
    # given
    ParticipantFactory(user=resident, email=resident.email, home_ward=ward)
    disclaimer = DisclaimerFactory()
    client.force_login(resident)
    # when
    missing = client.post(reverse("engagement:my_disclaimer"), {"signed_name": "Aisha"})
    signed = client.post(
        reverse("engagement:my_disclaimer"), {"agree": "on", "signed_name": "Aisha Rahman"}
    )
    # then
    assert missing.status_code == 400
    assert b"Tick the box to agree" in missing.content
    assert signed.url == reverse("engagement:my_volunteering")
    signature = DisclaimerSignature.objects.get()
    assert (signature.disclaimer, signature.method) == (disclaimer, "online")


def test_a_rostered_volunteer_reports_a_near_miss_and_the_assessment_reopens(
    client, resident, ward
):
    # given
    task = VolunteerTaskFactory()
    assessment = RiskAssessmentFactory(task=task, area=ward)
    activity = VolunteerActivityFactory(task=task, area=ward)
    RosterEntryFactory(
        activity=activity,
        participant=ParticipantFactory(user=resident, email=resident.email, home_ward=ward),
    )
    client.force_login(resident)
    mail.outbox.clear()
    # when
    response = client.post(
        reverse("engagement:incident_report", args=[activity.pk]),
        {
            "kind": "near_miss",
            "occurred_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "description": "A car mounted the verge next to us",
            "submission_key": str(uuid.uuid4()),
        },
    )
    # then
    assert response.url == reverse("engagement:my_volunteering")
    assessment.refresh_from_db()
    assert assessment.status == RiskAssessment.Status.UNDER_REVIEW
    assert Incident.objects.get().reporter.user == resident
    assert len(mail.outbox) == 1


def test_an_accident_must_say_who_was_hurt(client, officer, ward):
    # given
    activity = VolunteerActivityFactory(area=ward)
    client.force_login(officer)
    # when
    response = client.post(
        reverse("engagement:incident_report", args=[activity.pk]),
        {
            "kind": "accident",
            "occurred_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "description": "Slipped",
            "submission_key": str(uuid.uuid4()),
        },
    )
    # then
    assert response.status_code == 400
    assert b"Say who was hurt and how" in response.content
    assert not Incident.objects.exists()


def test_staff_reading_an_incident_is_audited_and_they_can_close_it(client, officer, ward):
    # given
    from tests.engagement.factories import IncidentFactory

    incident = IncidentFactory(activity=VolunteerActivityFactory(area=ward))
    client.force_login(officer)
    # when
    page = client.get(incident.get_absolute_url())
    empty = client.post(incident.get_absolute_url(), {"action_taken": ""})
    closed = client.post(incident.get_absolute_url(), {"action_taken": "Bench moved"})
    # then
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="engagement.incident.read", actor=officer).exists()
    assert empty.status_code == 400
    assert closed.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED


def test_an_officer_adds_a_job_for_the_experts_only_with_what_to_do_instead(client, officer):
    # given
    client.force_login(officer)
    data = {"name": "Clearing drains", "is_prohibited": "yes", "minimum_age": "18"}
    # when
    refused = client.post(reverse("engagement:task_create"), data)
    added = client.post(
        reverse("engagement:task_create"),
        {**data, "instead": "Report blocked drains: the highways team clears them."},
    )
    # then
    assert refused.status_code == 400
    assert b"Say what volunteers should do instead" in refused.content
    assert added.status_code == 302
    assert VolunteerTask.objects.get().is_prohibited


def test_the_dashboard_shows_what_needs_an_officers_attention(client, officer, ward):
    # given
    today = timezone.localdate()
    mine = RiskAssessmentFactory(area=ward, author=officer, status="submitted")
    theirs = RiskAssessmentFactory(area=ward, status="submitted")
    due = RiskAssessmentFactory(area=ward, review_on=today + timedelta(days=3))
    course = TrainingCourseFactory(name="Food hygiene", valid_for_months=12)
    lapsing = TrainingRecordFactory(
        course=course, participant__home_ward=ward, completed_on=today - timedelta(days=360)
    )
    overdue = ToolkitLoanFactory(
        toolkit=ToolkitFactory(home_area=ward),
        lent_on=today - timedelta(days=30),
        due_on=today - timedelta(days=1),
    )
    uncovered = VolunteerActivityFactory(area=ward, title="Canal path tidy")
    from tests.engagement.factories import IncidentFactory

    incident = IncidentFactory(activity=uncovered)
    client.force_login(officer)
    # when
    dashboard = client.get(reverse("engagement:volunteering_dashboard")).context["dashboard"]
    # then
    assert dashboard.awaiting == [theirs]
    assert mine not in dashboard.awaiting
    assert dashboard.expiring == [due]
    assert dashboard.lapsing == [lapsing]
    assert dashboard.overdue == [overdue]
    assert dashboard.incidents == [incident]
    assert dashboard.at_risk == [uncovered]


def test_a_job_for_the_experts_links_to_the_report_page_with_its_problem_chosen(client):
    # given
    from engagement.models import IssueCategory
    from tests.engagement.factories import ProhibitedTaskFactory, category

    fly_tipping = category("fly-tipping")
    task = ProhibitedTaskFactory(report_category=fly_tipping)
    # when
    response = client.get(task.report_link())
    unknown = client.get(reverse("engagement:report_start") + "?category=no-such-thing")
    # then
    assert response.status_code == unknown.status_code == 200
    assert response.context["form"].initial["category"] == fly_tipping.pk
    assert "category" not in unknown.context["form"].initial
    assert IssueCategory.objects.filter(slug="fly-tipping").exists()


def test_the_admin_shows_an_approved_assessment_read_only(client, administrator, ward):
    # given
    assessment = RiskAssessmentFactory(area=ward)
    client.force_login(administrator)
    url = reverse("admin:engagement_riskassessment_change", args=[assessment.pk])
    # when
    page = client.get(url)
    post = client.post(url, {"insurance": "Changed in the admin"})
    # then
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert post.status_code == 403
    assessment.refresh_from_db()
    assert assessment.insurance != "Changed in the admin"


def test_a_disclaimer_is_published_from_the_admin_as_a_new_version(client, administrator):
    # given
    from engagement.models import Disclaimer

    DisclaimerFactory()
    client.force_login(administrator)
    # when
    response = client.post(
        reverse("admin:engagement_disclaimer_add"),
        {"title": "Toolkit disclaimer", "text": "New wording", "in_force_from": day()},
    )
    # then
    assert response.status_code == 302
    assert list(Disclaimer.objects.values_list("version", flat=True)) == [2, 1]
