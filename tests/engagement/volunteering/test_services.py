"""The volunteering services: four eyes on approvals, read-only approved assessments and
their revisions, incidents reopening assessments, loans only to trained holders who
signed the disclaimer, hours in the participation ledger, the nightly check."""

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from PIL import Image

from engagement.models import (
    ActivityPhoto,
    DisclaimerSignature,
    ParticipationRecord,
    RiskAssessment,
    RiskAssessmentHazard,
    SafetyAlert,
    StreetChampion,
    ToolkitItem,
    ToolkitLoan,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
    VolunteerTask,
)
from engagement.photos import photo_process
from engagement.services import EngagementError, champion_induction_record
from engagement.volunteering import gate, selectors
from engagement.volunteering import services as volunteering
from governance.models import AuditEvent
from tests.accounts.factories import ElectedMemberFactory, OfficerFactory
from tests.engagement.factories import (
    ActivityReportFactory,
    DisclaimerFactory,
    DisclaimerSignatureFactory,
    ParticipantFactory,
    PostcodeFactory,
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
from tests.projects.factories import ProjectFactory
from tests.services import postgresql

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_commit_now")]

postgres_only = postgresql("the triggers are PostgreSQL's")

HAZARD = volunteering.HazardInput(
    "Sharps", "Volunteers", 3, 4, "Pickers, gloves, never touch needles", 1, 4
)


def today() -> date:
    return timezone.localdate()


# Risk assessments: four eyes, read-only once signed, revisions -----------------------


def test_an_author_cannot_approve_their_own_assessment(officer, ward):
    # given
    assessment = RiskAssessmentFactory(area=ward, author=officer, status="submitted")
    # when
    with pytest.raises(EngagementError, match="another competent officer must approve"):
        volunteering.risk_assessment_approve(
            assessment=assessment, actor=officer, review_on=today() + timedelta(days=90)
        )
    # then
    assessment.refresh_from_db()
    assert assessment.status == RiskAssessment.Status.SUBMITTED
    assert assessment.approved_by is None


def test_the_database_refuses_an_assessment_approved_by_its_author(officer, ward):
    # given
    assessment = RiskAssessmentFactory(area=ward, author=officer, status="submitted")
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAssessment.objects.filter(pk=assessment.pk).update(
            status="approved",
            approved_by=officer,
            approved_at=timezone.now(),
            review_on=today() + timedelta(days=30),
        )


def test_a_colleague_approves_and_the_approval_is_audited(officer, ward):
    # given
    assessment = RiskAssessmentFactory(area=ward, status="submitted")
    # when
    approved = volunteering.risk_assessment_approve(
        assessment=assessment, actor=officer, review_on=today() + timedelta(days=180)
    )
    # then
    assert approved.status == RiskAssessment.Status.APPROVED
    assert approved.approved_by == officer
    assert approved.owner == approved.author
    event = AuditEvent.objects.get(action="engagement.assessment.approve")
    assert event.actor == officer
    assert event.object_id == str(assessment.pk)


@pytest.mark.parametrize(
    ("review_in_days", "allowed"), [(0, False), (1, True), (366, True), (367, False)]
)
def test_the_review_date_is_after_today_and_within_a_year(officer, ward, review_in_days, allowed):
    # given
    assessment = RiskAssessmentFactory(area=ward, status="submitted")
    # when
    try:
        volunteering.risk_assessment_approve(
            assessment=assessment, actor=officer, review_on=today() + timedelta(review_in_days)
        )
    except EngagementError:
        approved = False
    else:
        approved = True
    # then
    assert approved is allowed


def test_a_very_high_residual_risk_cannot_be_approved(officer, ward):
    # given
    author = OfficerFactory(areas=[ward])
    assessment = volunteering.risk_assessment_create(
        actor=author,
        task=VolunteerTaskFactory(),
        area=ward,
        emergency_arrangements="Call 999",
        insurance="Council policy",
        hazards=[volunteering.HazardInput("Traffic", "Everyone", 5, 5, "Hi-vis", 4, 4)],
    )
    volunteering.risk_assessment_submit(assessment=assessment, actor=author)
    # when / then
    with pytest.raises(EngagementError, match="still very high"):
        volunteering.risk_assessment_approve(
            assessment=assessment, actor=officer, review_on=today() + timedelta(days=30)
        )


def test_the_scores_are_computed_and_controls_cannot_raise_a_risk(ward):
    # given
    assessment = RiskAssessmentFactory(area=ward, status="draft")
    hazard = assessment.hazards.first()
    hazard.refresh_from_db()
    # then: computed by the database
    assert hazard.score_before == hazard.likelihood_before * hazard.severity_before
    assert hazard.score_after == hazard.likelihood_after * hazard.severity_after
    # and a row with a higher risk after controls is refused by the database
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAssessmentHazard.objects.filter(pk=hazard.pk).update(
            likelihood_after=5, severity_after=5
        )


def test_an_approved_assessment_cannot_be_edited_in_place(officer, ward):
    # given
    assessment = RiskAssessmentFactory(area=ward)
    # when
    with pytest.raises(EngagementError, match="make a new revision"):
        volunteering.risk_assessment_update(
            assessment=assessment,
            actor=officer,
            data={"insurance": "Something else"},
            hazards=[HAZARD],
            version=assessment.version,
        )
    # then
    assessment.refresh_from_db()
    assert assessment.insurance != "Something else"
    assert assessment.hazards.count() == 2


@postgres_only
def test_postgresql_refuses_a_change_to_an_approved_assessment_or_its_hazards(ward):
    # given
    assessment = RiskAssessmentFactory(area=ward)
    # when / then
    with pytest.raises(Exception, match="pgtrigger"), transaction.atomic():
        RiskAssessment.objects.filter(pk=assessment.pk).update(insurance="Changed behind it")
    with pytest.raises(Exception, match="pgtrigger"), transaction.atomic():
        assessment.hazards.update(controls="Nothing")
    with pytest.raises(Exception, match="pgtrigger"), transaction.atomic():
        assessment.hazards.all().delete()
    with pytest.raises(Exception, match="pgtrigger"), transaction.atomic():
        RiskAssessment.objects.filter(pk=assessment.pk).update(status="draft")
    assessment.refresh_from_db()
    assert assessment.status == RiskAssessment.Status.APPROVED


def test_a_change_is_a_new_revision_that_replaces_the_old_once_approved(officer, ward):
    # given
    first = RiskAssessmentFactory(area=ward)
    # when
    second = volunteering.risk_assessment_revise(assessment=first, actor=officer)
    again = volunteering.risk_assessment_revise(assessment=first, actor=officer)
    volunteering.risk_assessment_update(
        assessment=second,
        actor=officer,
        data={"insurance": "New policy from April"},
        hazards=[HAZARD],
        version=second.version,
    )
    volunteering.risk_assessment_submit(assessment=second, actor=officer)
    # then: the first stays in force until the second is approved
    first.refresh_from_db()
    assert again == second
    assert (second.revision, second.previous) == (2, first)
    assert first.status == RiskAssessment.Status.APPROVED
    approver = OfficerFactory(areas=[ward])
    volunteering.risk_assessment_approve(
        assessment=second, actor=approver, review_on=today() + timedelta(days=200)
    )
    first.refresh_from_db()
    assert first.status == RiskAssessment.Status.SUPERSEDED
    assert first.insurance != "New policy from April"
    assert [a.revision for a in selectors.assessment_chain(assessment=first)] == [2, 1]


def test_a_submitted_assessment_can_be_sent_back_but_not_by_its_author(officer, ward):
    # given
    assessment = RiskAssessmentFactory(area=ward, author=officer, status="submitted")
    colleague = OfficerFactory(areas=[ward])
    # when
    with pytest.raises(EngagementError):
        volunteering.risk_assessment_return(assessment=assessment, actor=officer, reason="x")
    returned = volunteering.risk_assessment_return(
        assessment=assessment, actor=colleague, reason="Add the canal path"
    )
    # then
    assert returned.status == RiskAssessment.Status.DRAFT
    assert returned.returned_reason == "Add the canal path"


def test_a_job_for_the_experts_is_never_assessed_for_volunteers(officer, ward):
    # when / then
    with pytest.raises(EngagementError, match="job for the experts"):
        volunteering.risk_assessment_create(
            actor=officer,
            task=ProhibitedTaskFactory(),
            area=ward,
            emergency_arrangements="-",
            insurance="-",
            hazards=[HAZARD],
        )


def test_a_group_lead_drafts_for_their_own_area_only(resident, ward, other_ward):
    # given: the resident leads an activity, so is a group lead
    participant = ParticipantFactory(user=resident, home_ward=ward)
    RosterEntryFactory(participant=participant, role="lead", activity__area=ward)
    task = VolunteerTaskFactory()
    arguments = {
        "actor": resident,
        "task": task,
        "emergency_arrangements": "Call 999",
        "insurance": "Council policy",
        "hazards": [HAZARD],
    }
    # when
    draft = volunteering.risk_assessment_create(area=ward, **arguments)
    with pytest.raises(EngagementError, match="cannot write risk assessments"):
        volunteering.risk_assessment_create(area=other_ward, **arguments)
    # then
    assert draft.author == resident
    assert draft.owner is None


def test_a_resident_who_leads_nothing_cannot_draft(resident, ward):
    # given
    ParticipantFactory(user=resident, home_ward=ward)
    # when / then
    with pytest.raises(EngagementError, match="Only council officers and group leads"):
        volunteering.risk_assessment_create(
            actor=resident,
            task=VolunteerTaskFactory(),
            area=ward,
            emergency_arrangements="-",
            insurance="-",
            hazards=[HAZARD],
        )


def test_only_an_officer_for_the_area_reopens_an_assessment_by_hand(
    officer, ward, other_ward, resident
):
    """Reopening stops rostering across the area: by hand, only its officers may."""
    # given
    assessment = RiskAssessmentFactory(area=ward)
    elsewhere = OfficerFactory(areas=[other_ward])
    # when
    for outsider in (elsewhere, resident):
        with pytest.raises(EngagementError, match="Only a council officer for"):
            volunteering.risk_assessment_reopen(
                assessment=assessment, actor=outsider, reason="Worried"
            )
    assessment.refresh_from_db()
    status_after_outsiders = assessment.status
    reopened = volunteering.risk_assessment_reopen(
        assessment=assessment, actor=officer, reason="Worried"
    )
    # then
    assert status_after_outsiders == RiskAssessment.Status.APPROVED
    assert reopened.status == RiskAssessment.Status.UNDER_REVIEW


def test_every_staff_read_of_an_assessment_is_audited(officer, ward, resident):
    # given
    assessment = RiskAssessmentFactory(area=ward)
    # when
    volunteering.risk_assessment_view(assessment=assessment, actor=officer)
    volunteering.risk_assessment_view(assessment=assessment, actor=officer)
    # then
    reads = AuditEvent.objects.filter(action="engagement.assessment.read")
    assert reads.count() == 2
    assert {e.actor for e in reads} == {officer}


# Incidents ----------------------------------------------------------------------------


def test_an_incident_reopens_the_assessments_covering_the_activity(officer, ward):
    # given
    task = VolunteerTaskFactory()
    ward_level = RiskAssessmentFactory(task=task, area=ward)
    area_level = RiskAssessmentFactory(task=task, area=ward.parent)
    elsewhere = RiskAssessmentFactory(task=VolunteerTaskFactory(), area=ward)
    activity = VolunteerActivityFactory(task=task, area=ward)
    mail.outbox.clear()
    # when
    incident = volunteering.incident_report(
        activity=activity,
        actor=officer,
        kind="accident",
        occurred_at=timezone.now() - timedelta(hours=2),
        description="Cut hand on glass hidden in a hedge",
        injury_details="Small cut to the left palm",
        first_aid_given=True,
    )
    # then
    for assessment in (ward_level, area_level, elsewhere):
        assessment.refresh_from_db()
    assert ward_level.status == area_level.status == RiskAssessment.Status.UNDER_REVIEW
    assert ward_level.reopened_by_incident == incident
    assert elsewhere.status == RiskAssessment.Status.APPROVED
    assert {m.to[0] for m in mail.outbox} == {ward_level.owner.email, area_level.owner.email}
    assert "reopened for review" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="engagement.incident.report")
    assert "injury_details" in event.fields


def test_only_people_on_the_activity_and_staff_for_it_report_incidents(resident, ward):
    # given
    activity = VolunteerActivityFactory(area=ward)
    participant = ParticipantFactory(user=resident, home_ward=ward)
    arguments = {
        "activity": activity,
        "actor": resident,
        "kind": "near_miss",
        "occurred_at": timezone.now(),
        "description": "Needle under the bench",
    }
    # when
    with pytest.raises(EngagementError):
        volunteering.incident_report(**arguments)
    RosterEntryFactory(activity=activity, participant=participant)
    incident = volunteering.incident_report(**arguments, submission_key=uuid.uuid4())
    # then
    assert incident.reporter == participant


def test_a_repeated_incident_report_is_recorded_once(officer, ward):
    # given
    activity = VolunteerActivityFactory(area=ward)
    key = uuid.uuid4()
    arguments = {
        "activity": activity,
        "actor": officer,
        "kind": "near_miss",
        "occurred_at": timezone.now(),
        "description": "Needle under the bench",
        "submission_key": key,
    }
    # when
    first = volunteering.incident_report(**arguments)
    second = volunteering.incident_report(**arguments)
    # then
    assert first == second


def test_reading_an_incident_with_injuries_is_audited_as_health_data(officer, ward):
    # given
    activity = VolunteerActivityFactory(area=ward)
    incident = volunteering.incident_report(
        activity=activity,
        actor=officer,
        kind="accident",
        occurred_at=timezone.now(),
        description="Fell on the kerb",
        injury_details="Grazed knee",
    )
    # when
    volunteering.incident_view(incident=incident, actor=officer)
    # then
    assert AuditEvent.objects.get(action="engagement.incident.read").fields == ["injury_details"]


# Toolkit loans ------------------------------------------------------------------------


@pytest.fixture
def kit(ward):
    return ToolkitFactory(home_area=ward, code="NF-ENV-07")


@pytest.fixture
def lender(ward):
    return OfficerFactory(areas=[ward])


def lend(kit, holder, lender, **overrides):
    arguments = {
        "toolkit": kit,
        "holder": holder,
        "actor": lender,
        "lent_on": today(),
        "due_on": today() + timedelta(days=28),
        "group_name": "Abbey Fields NAG",
    }
    return volunteering.toolkit_lend(**{**arguments, **overrides})


def test_a_kit_is_lent_to_a_trained_holder_who_signed_and_the_version_is_kept(kit, lender, ward):
    # given
    holder = ParticipantFactory(home_ward=ward)
    training = TrainingRecordFactory(participant=holder, course=kit.required_training)
    disclaimer = DisclaimerFactory()
    DisclaimerSignatureFactory(
        participant=holder, disclaimer=disclaimer, signed_on=today() - timedelta(days=3)
    )
    # when
    loan = lend(kit, holder, lender)
    # then
    assert loan.disclaimer == disclaimer
    assert loan.disclaimer_signed_on == today() - timedelta(days=3)
    assert loan.training_course == kit.required_training
    assert loan.training_completed_on == training.completed_on
    assert AuditEvent.objects.filter(action="engagement.toolkit.lend").exists()


def test_a_loan_to_an_untrained_holder_is_refused(kit, lender, ward):
    # given
    holder = ParticipantFactory(home_ward=ward, full_name="Pat Untrained")
    DisclaimerSignatureFactory(participant=holder)
    # when
    with pytest.raises(gate.GateRefusedError) as refused:
        lend(kit, holder, lender)
    # then
    assert [r.code for r in refused.value.refusals] == ["training_missing"]
    assert "Pat Untrained has no Safe use of the environmental toolkit training" in str(
        refused.value
    )
    assert not ToolkitLoan.objects.exists()


def test_a_loan_to_a_holder_whose_training_lapsed_is_refused(kit, lender, ward):
    # given
    holder = ParticipantFactory(home_ward=ward)
    TrainingRecordFactory(
        participant=holder, course=kit.required_training, completed_on=today() - timedelta(800)
    )
    DisclaimerSignatureFactory(participant=holder)
    # when
    with pytest.raises(gate.GateRefusedError) as refused:
        lend(kit, holder, lender)
    # then
    assert [r.code for r in refused.value.refusals] == ["training_expired"]
    expired = date_format(TrainingRecord.objects.get(participant=holder).expires_on, "j F Y")
    assert f"training expired on {expired}: they need a refresher" in str(refused.value)


@pytest.mark.parametrize(
    ("course", "said"),
    [
        ("Litter picking safely", "Litter picking safely training"),
        ("Toolkit user training", "Toolkit user training"),
        ("Food hygiene Training ", "Food hygiene Training "),
    ],
)
def test_a_course_is_named_in_a_sentence_without_training_twice(course, said):
    assert TrainingCourse(name=course).training == said


def test_a_loan_without_a_signed_disclaimer_is_refused(kit, lender, ward):
    # given
    holder = ParticipantFactory(home_ward=ward)
    TrainingRecordFactory(participant=holder, course=kit.required_training)
    DisclaimerFactory()
    # when
    with pytest.raises(gate.GateRefusedError) as refused:
        lend(kit, holder, lender)
    # then
    assert [r.code for r in refused.value.refusals] == ["disclaimer_unsigned"]
    assert not ToolkitLoan.objects.exists()


def test_a_signature_of_an_older_version_does_not_count(kit, lender, ward):
    # given
    holder = ParticipantFactory(home_ward=ward)
    TrainingRecordFactory(participant=holder, course=kit.required_training)
    old = DisclaimerFactory(in_force_from=today() - timedelta(days=400))
    DisclaimerSignatureFactory(
        participant=holder, disclaimer=old, signed_on=today() - timedelta(days=300)
    )
    new = DisclaimerFactory(in_force_from=today() - timedelta(days=5), text="New wording")
    # when
    with pytest.raises(gate.GateRefusedError) as refused:
        lend(kit, holder, lender)
    # then
    assert f"version {new.version}" in str(refused.value)


def test_a_kit_on_loan_cannot_be_lent_again(kit, lender, ward):
    # given
    ToolkitLoanFactory(toolkit=kit)
    other = ParticipantFactory(home_ward=ward)
    TrainingRecordFactory(participant=other, course=kit.required_training)
    DisclaimerSignatureFactory(participant=other, disclaimer=volunteering.disclaimer_in_force())
    # when
    with pytest.raises(gate.GateRefusedError) as refused:
        lend(kit, other, lender)
    # then
    assert [r.code for r in refused.value.refusals] == ["kit_on_loan"]
    loan = ToolkitLoan.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ToolkitLoan.objects.create(
            toolkit=kit,
            holder=other,
            lent_on=loan.lent_on,
            due_on=loan.due_on,
            disclaimer=loan.disclaimer,
            disclaimer_signed_on=loan.disclaimer_signed_on,
            training_course=loan.training_course,
            training_completed_on=loan.training_completed_on,
        )


def test_a_return_records_each_items_condition_and_the_worst(kit, lender):
    # given
    loan = ToolkitLoanFactory(toolkit=kit)
    pickers, gloves = kit.items.filter(kind__in=["litter_picker", "gloves"]).order_by("kind")
    # when
    returned = volunteering.toolkit_return(
        loan=loan,
        actor=lender,
        returned_on=today(),
        conditions={pickers.pk: "damaged", gloves.pk: "worn"},
        notes="One picker's jaw is bent",
    )
    again = volunteering.toolkit_return(
        loan=loan, actor=lender, returned_on=today(), conditions={}
    )
    # then
    pickers.refresh_from_db()
    assert returned.return_condition == ToolkitItem.Condition.DAMAGED
    assert pickers.condition == ToolkitItem.Condition.DAMAGED
    assert again.returned_on == today()
    assert not ToolkitLoan.objects.open().exists()


def test_overdue_loans_are_flagged(kit):
    # given
    loan = ToolkitLoanFactory(
        toolkit=kit, lent_on=today() - timedelta(days=40), due_on=today() - timedelta(days=3)
    )
    # then
    assert loan.is_overdue
    assert loan.days_overdue == 3
    assert list(ToolkitLoan.objects.overdue()) == [loan]


# Activities: hours in the participation ledger ----------------------------------------


def two_hours_just_ended(ward):
    """An activity of two hours that started three hours ago, its task assessed."""
    task = VolunteerTaskFactory()
    RiskAssessmentFactory(task=task, area=ward)
    starts = timezone.now() - timedelta(hours=3)
    return VolunteerActivityFactory(
        task=task, area=ward, starts_at=starts, ends_at=starts + timedelta(hours=2)
    )


def test_hours_recorded_put_volunteering_in_the_ledger_and_absence_takes_it_out(officer, ward):
    # given
    activity = two_hours_just_ended(ward)
    person = VolunteerFactory(participant__home_ward=ward).participant
    entry = RosterEntryFactory(activity=activity, participant=person)
    # when
    volunteering.volunteer_hours_record(
        activity=activity, actor=officer, marks={entry.pk: (True, None)}
    )
    # then
    record = ParticipationRecord.objects.get(participant=person)
    assert record.kind == ParticipationRecord.Kind.VOLUNTEERING
    assert record.area == ward
    entry.refresh_from_db()
    assert entry.hours == Decimal("2.00")
    activity.refresh_from_db()
    assert activity.status == "completed"
    # and marking them absent takes it out
    volunteering.volunteer_hours_record(
        activity=activity, actor=officer, marks={entry.pk: (False, None)}
    )
    assert not ParticipationRecord.objects.filter(participant=person).exists()


def test_hours_are_written_to_the_ledger_in_person_order(officer, ward):
    # given: roster entries made in the other order from their people (two registers
    # saved at once then queue the summary's months in one order)
    activity = two_hours_just_ended(ward)
    people = [VolunteerFactory(participant__home_ward=ward).participant for _ in range(3)]
    marks = {
        RosterEntryFactory(activity=activity, participant=person).pk: (True, None)
        for person in reversed(people)
    }
    # when
    volunteering.volunteer_hours_record(activity=activity, actor=officer, marks=marks)
    # then
    written = ParticipationRecord.objects.order_by("pk").values_list("participant_id", flat=True)
    assert list(written) == [person.pk for person in people]


def test_hours_cannot_be_recorded_before_the_activity_starts(officer, ward):
    # given
    activity = VolunteerActivityFactory(area=ward)
    entry = RosterEntryFactory(activity=activity)
    # when / then
    with pytest.raises(EngagementError, match="once the activity has started"):
        volunteering.volunteer_hours_record(
            activity=activity, actor=officer, marks={entry.pk: (True, Decimal(2))}
        )


# Induction and age ----------------------------------------------------------------------


def test_a_champions_induction_is_their_volunteer_induction(officer, ward):
    # given
    champion = StreetChampionFactory(participant=ParticipantFactory(home_ward=ward))
    # when
    champion_induction_record(
        champion=champion,
        actor=officer,
        inducted_on=today(),
        emergency_procedures_covered=True,
        role_boundaries_covered=True,
    )
    # then
    volunteer = Volunteer.objects.get(participant=champion.participant)
    assert volunteer.induction_complete
    assert StreetChampion.objects.get().inducted_on == today()


def test_later_induction_sessions_add_to_what_was_covered(officer, ward):
    # given
    person = ParticipantFactory(home_ward=ward)
    volunteering.volunteer_induction_record(
        participant=person,
        actor=officer,
        inducted_on=today() - timedelta(days=7),
        pack_acknowledged=True,
        emergency_procedures_covered=False,
        role_boundaries_covered=False,
    )
    # when
    volunteer = volunteering.volunteer_induction_record(
        participant=person,
        actor=officer,
        inducted_on=today(),
        pack_acknowledged=False,
        emergency_procedures_covered=True,
        role_boundaries_covered=True,
    )
    # then
    assert volunteer.induction_complete
    assert volunteer.inducted_on == today()


def test_age_is_held_only_with_its_lawful_basis_and_audited(officer, ward):
    # given
    person = ParticipantFactory(home_ward=ward)
    # when
    with pytest.raises(EngagementError, match="lawful basis"):
        volunteering.volunteer_age_record(
            participant=person, actor=officer, basis="", date_of_birth=date(1990, 1, 1)
        )
    volunteer = volunteering.volunteer_age_record(
        participant=person,
        actor=officer,
        basis="legal_obligation",
        date_of_birth=date(1990, 1, 1),
        year_of_birth=1990,
        confirmed_adult=True,
    )
    # then: only the most precise answer is kept
    assert (volunteer.date_of_birth, volunteer.year_of_birth, volunteer.confirmed_adult) == (
        date(1990, 1, 1),
        None,
        False,
    )
    assert AuditEvent.objects.get(action="engagement.volunteer.age").fields
    with pytest.raises(IntegrityError), transaction.atomic():
        Volunteer.objects.filter(pk=volunteer.pk).update(age_basis="")


def test_a_task_for_the_experts_must_say_what_to_do_instead():
    # when / then
    with pytest.raises(EngagementError, match="instead"):
        volunteering.volunteer_task_create(
            actor=None, data={"name": "Street lighting repairs", "is_prohibited": True}
        )
    task = ProhibitedTaskFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        VolunteerTask.objects.filter(pk=task.pk).update(instead="")


# Activity reports ---------------------------------------------------------------------


def jpeg_with_exif() -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0132] = "2026:03:27 10:00:00"  # when taken
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")


def test_an_activity_report_keeps_photos_without_metadata_and_counts_as_volunteering(
    ward, settings, tmp_path
):
    # given
    settings.MEDIA_ROOT = tmp_path
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    reporter = ParticipantFactory(home_ward=None)
    photo = photo_process(jpeg_with_exif())
    # when
    report = volunteering.activity_report_create(
        reporter=reporter,
        draft=volunteering.ActivityReportDraft(
            task=VolunteerTaskFactory(),
            done_on=today(),
            place="Path behind the shops",
            postcode="nf1 1ab",
            bags_collected=7,
        ),
        photos=[photo],
        submission_key=uuid.uuid4(),
    )
    # then
    assert report.ward == ward
    stored = ActivityPhoto.objects.get(report=report)
    with Image.open(stored.image.path) as image:
        assert not image.getexif()
    assert "IMG_0001" not in stored.image.name
    assert ParticipationRecord.objects.get(participant=reporter).kind == "volunteering"


def test_a_group_cannot_report_doing_a_job_for_the_experts(ward):
    # when / then
    with pytest.raises(gate.GateRefusedError) as refused:
        volunteering.activity_report_create(
            reporter=ParticipantFactory(home_ward=ward),
            draft=volunteering.ActivityReportDraft(
                task=ProhibitedTaskFactory(), done_on=today(), place="Canal bank"
            ),
        )
    assert refused.value.refusals[0].code == gate.TASK_PROHIBITED


def test_problems_recur_where_the_same_job_is_reported_again_and_again(officer, ward):
    # given
    task = VolunteerTaskFactory(name="Graffiti removal")
    reporter = ParticipantFactory(home_ward=ward)
    for days_ago in (3, 20, 60):
        ActivityReportFactory(
            task=task, reporter=reporter, done_on=today() - timedelta(days=days_ago)
        )
    ActivityReportFactory(task=task, reporter=reporter, done_on=today() - timedelta(days=200))
    ActivityReportFactory(reporter=reporter)
    # when
    recurring = selectors.recurring_problems(user=officer)
    # then
    assert [(r["ward__name"], r["task__name"], r["reports"]) for r in recurring] == [
        ("Town Centre", "Graffiti removal", 3)
    ]


# The nightly check ----------------------------------------------------------------------


def test_the_nightly_check_flags_and_emails_once_however_often_it_runs(ward):
    # given
    due = RiskAssessmentFactory(area=ward, review_on=today() + timedelta(days=10))
    RiskAssessmentFactory(area=ward, review_on=today() + timedelta(days=200))
    course = TrainingCourseFactory(name="Manual handling", valid_for_months=12)
    lapsing = TrainingRecordFactory(
        course=course,
        participant__home_ward=ward,
        completed_on=today().replace(year=today().year - 1) + timedelta(days=20),
    )
    overdue = ToolkitLoanFactory(
        toolkit=ToolkitFactory(home_area=ward),
        lent_on=today() - timedelta(days=40),
        due_on=today() - timedelta(days=1),
    )
    mail.outbox.clear()
    # when
    first = volunteering.safety_checks_run()
    second = volunteering.safety_checks_run()
    # then
    assert first == {"flagged": 3, "emailed": 3}
    assert second == {"flagged": 0, "emailed": 0}
    assert set(SafetyAlert.objects.values_list("kind", flat=True)) == {
        "assessment_review",
        "training_lapsing",
        "loan_overdue",
    }
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [
            due.owner.email,
            lapsing.participant.email,
            overdue.holder.email,
            overdue.lent_by.email,
        ]
    )


def test_a_volunteer_told_of_lapsing_training_is_sent_to_their_own_page(ward):
    """The volunteer's link is their own volunteering page, never the staff page about
    them; whoever recorded the training gets the staff page."""
    # given
    course = TrainingCourseFactory(name="Manual handling", valid_for_months=12)
    lapsing = TrainingRecordFactory(
        course=course,
        participant__home_ward=ward,
        completed_on=today().replace(year=today().year - 1) + timedelta(days=20),
    )
    lapsing.recorded_by = OfficerFactory()
    lapsing.save(update_fields=["recorded_by"])
    staff_page = reverse("engagement:volunteer_detail", args=[lapsing.participant.pk])
    mail.outbox.clear()
    # when
    volunteering.safety_checks_run()
    # then
    bodies = {message.to[0]: message.body for message in mail.outbox}
    volunteer_body = bodies[lapsing.participant.email]
    assert reverse("engagement:my_volunteering") in volunteer_body
    assert staff_page not in volunteer_body
    assert staff_page in bodies[lapsing.recorded_by.email]


def test_a_holder_told_their_kit_is_overdue_is_sent_to_their_own_page(ward):
    """The holder's link is their own volunteering page, where the kit is listed, never
    the staff page for the kit; the officer who lent it gets the staff page."""
    # given
    overdue = ToolkitLoanFactory(
        toolkit=ToolkitFactory(home_area=ward),
        lent_on=today() - timedelta(days=40),
        due_on=today() - timedelta(days=1),
    )
    staff_page = reverse("engagement:toolkit_detail", args=[overdue.toolkit_id])
    mail.outbox.clear()
    # when
    volunteering.safety_checks_run()
    # then
    bodies = {message.to[0]: message.body for message in mail.outbox}
    holder_body = bodies[overdue.holder.email]
    assert reverse("engagement:my_volunteering") in holder_body
    assert staff_page not in holder_body
    assert staff_page in bodies[overdue.lent_by.email]


def test_the_nightly_check_leaves_out_training_already_refreshed(ward):
    """A volunteer who has done the refresher is not told their training lapses."""
    # given
    course = TrainingCourseFactory(name="Manual handling", valid_for_months=12)
    lapsing = TrainingRecordFactory(
        course=course,
        participant__home_ward=ward,
        completed_on=today().replace(year=today().year - 1) + timedelta(days=20),
    )
    TrainingRecordFactory(
        course=course, participant=lapsing.participant, completed_on=today() - timedelta(days=3)
    )
    mail.outbox.clear()
    # when
    result = volunteering.safety_checks_run()
    # then
    assert result == {"flagged": 0, "emailed": 0}
    assert not SafetyAlert.objects.exists()
    assert mail.outbox == []


def test_a_failed_email_is_tried_again_on_the_next_run(ward, monkeypatch):
    # given
    RiskAssessmentFactory(area=ward, review_on=today() + timedelta(days=5))

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    # when
    first = volunteering.safety_checks_run()
    monkeypatch.undo()
    second = volunteering.safety_checks_run()
    # then
    assert first == {"flagged": 1, "emailed": 0}
    assert second == {"flagged": 0, "emailed": 1}
    assert len(mail.outbox) == 1


def test_the_nightly_task_runs_the_check(ward):
    # given
    from engagement.tasks import volunteering_safety_check_task

    RiskAssessmentFactory(area=ward, review_on=today() + timedelta(days=5))
    # when
    volunteering_safety_check_task.delay()
    volunteering_safety_check_task.delay()
    # then
    assert SafetyAlert.objects.count() == 1
    assert SafetyAlert.objects.get().emailed_at is not None


# The projects app's stage gate --------------------------------------------------------


def test_a_project_in_deliver_needs_in_date_assessments_for_its_volunteer_tasks(ward):
    # given
    project = ProjectFactory(title="Clean streets, Town Centre", areas=[ward])
    task = VolunteerTaskFactory(name="Litter pick")
    VolunteerActivityFactory(project=project, task=task, area=ward, title="Spring clean")
    # when
    missing = gate.project_volunteer_safety_refusals(project=project)
    RiskAssessmentFactory(task=task, area=ward)
    covered = gate.project_volunteer_safety_refusals(project=project)
    # then
    assert len(missing) == 1
    assert missing[0].startswith("Spring clean")
    assert "No risk assessment covers Litter pick" in missing[0]
    assert covered == []


def test_a_project_with_a_job_for_the_experts_scheduled_cannot_deliver(ward):
    # given
    project = ProjectFactory(title="Canal clean-up", areas=[ward])
    VolunteerActivityFactory(project=project, task=ProhibitedTaskFactory(), area=ward)
    # then
    assert "job for the experts" in gate.project_volunteer_safety_refusals(project=project)[0]


# Disclaimers ----------------------------------------------------------------------------


def test_a_disclaimers_text_never_changes_a_new_text_is_a_new_version():
    # given
    first = DisclaimerFactory()
    # when
    second = volunteering.disclaimer_publish(
        actor=None, title="Toolkit disclaimer", text="Revised", in_force_from=today()
    )
    # then
    assert (first.version, second.version) == (1, 2)
    assert volunteering.disclaimer_in_force() == second


def test_signing_twice_keeps_the_first_signature(ward):
    # given
    person = ParticipantFactory(home_ward=ward)
    disclaimer = DisclaimerFactory()
    # when
    first = volunteering.disclaimer_sign(
        participant=person, disclaimer=disclaimer, signed_name="Jo", method="online"
    )
    second = volunteering.disclaimer_sign(
        participant=person, disclaimer=disclaimer, signed_name="Jo B", method="online"
    )
    # then
    assert first == second
    assert DisclaimerSignature.objects.count() == 1


# Privacy ----------------------------------------------------------------------------


def test_a_volunteers_data_is_exported_and_erased(officer, ward, settings, tmp_path):
    # given
    from engagement.services import participant_erase, participant_export

    settings.MEDIA_ROOT = tmp_path
    loan = ToolkitLoanFactory(toolkit=ToolkitFactory(home_area=ward))
    person = loan.holder
    VolunteerFactory(participant=person, emergency_contact_name="Sam", emergency_contact_phone="1")
    report = volunteering.activity_report_create(
        reporter=person,
        draft=volunteering.ActivityReportDraft(
            task=VolunteerTaskFactory(), done_on=today(), place="Park"
        ),
        photos=[photo_process(jpeg_with_exif())],
    )
    # when
    exported = participant_export(participant=person, actor=officer)
    participant_erase(participant=person, actor=officer)
    # then
    assert exported["engagement.volunteer"][0]["emergency_contact_name"] == "Sam"
    assert exported["engagement.trainingrecord"]
    assert exported["engagement.disclaimersignature"]
    assert exported["engagement.toolkitloan"][0]["kit"] == loan.toolkit.code
    assert not Volunteer.objects.filter(participant=person).exists()
    assert not TrainingRecord.objects.filter(participant=person).exists()
    assert not DisclaimerSignature.objects.filter(participant=person).exists()
    assert not report.photos.exists()
    loan.refresh_from_db()
    assert loan.disclaimer_signed_on is not None


def test_the_projects_stage_gate_keeps_a_project_out_of_delivery_until_assessed(officer, ward):
    # given: a project ready in every other way to leave commission
    from projects.gates import GateContext, gates
    from projects.services import GateNotPassedError, project_advance
    from tests.projects import gate_helpers

    member = ElectedMemberFactory(areas=[ward])
    project = ProjectFactory(title="Clean streets", areas=[ward])
    gate_helpers.take_to(project, "commission", officer=officer, member=member)
    task = VolunteerTaskFactory(name="Litter pick")
    VolunteerActivityFactory(project=project, task=task, area=ward, title="Spring clean")
    gate_helpers.record_decision(project, officer)
    gate_helpers.sign_off_gate(project, officer, member)
    gate_helpers.assess(project, officer)
    gate_helpers.add_indicator(project, officer)
    context = GateContext(project=project, leaving="commission", entering="deliver")
    # when
    unmet = [c for c in gates.evaluate(context) if not c.met]
    with pytest.raises(GateNotPassedError):
        project_advance(project=project, actor=officer, to_stage="deliver")
    RiskAssessmentFactory(task=task, area=ward)
    project_advance(project=project, actor=officer, to_stage="deliver")
    # then
    assert [c.code for c in unmet] == ["engagement.volunteer_risk_assessments"]
    assert "No risk assessment covers Litter pick in Town Centre" in unmet[0].missing
    assert unmet[0].action_url.startswith("/volunteering/assessments/new/")
    project.refresh_from_db()
    assert project.stage == "deliver"


def test_moving_an_activity_past_its_assessments_review_date_is_refused(officer, ward):
    # given
    task = VolunteerTaskFactory()
    RiskAssessmentFactory(task=task, area=ward, review_on=today() + timedelta(days=20))
    activity = VolunteerActivityFactory(task=task, area=ward)
    later = activity.starts_at + timedelta(days=30)
    # when
    with pytest.raises(gate.GateRefusedError) as refused:
        volunteering.volunteer_activity_update(
            activity=activity,
            actor=officer,
            data={"starts_at": later, "ends_at": later + timedelta(hours=2)},
            version=activity.version,
        )
    # then
    assert [r.code for r in refused.value.refusals] == [gate.ASSESSMENT_OUT_OF_DATE]
    activity.refresh_from_db()
    assert activity.starts_at < later


def test_taking_someone_off_the_roster_takes_their_volunteering_out_of_the_ledger(officer, ward):
    # given
    starts = timezone.now() - timedelta(hours=3)
    activity = VolunteerActivityFactory(
        area=ward, starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    entry = RosterEntryFactory(activity=activity, participant__home_ward=ward)
    volunteering.volunteer_hours_record(
        activity=activity, actor=officer, marks={entry.pk: (True, Decimal(1))}
    )
    # when
    volunteering.volunteer_roster_withdraw(entry=entry, actor=officer)
    # then
    entry.refresh_from_db()
    assert entry.status == "withdrawn"
    assert entry.hours is None
    assert not ParticipationRecord.objects.exists()


def test_a_stale_edit_of_a_kit_is_refused(ward):
    # given
    from coproduction.versioning import EditConflictError

    kit = ToolkitFactory(home_area=ward)
    officer = OfficerFactory(areas=[ward])
    volunteering.toolkit_update(
        toolkit=kit, actor=officer, data={"name": "Renamed"}, version=kit.version
    )
    # when / then
    with pytest.raises(EditConflictError):
        volunteering.toolkit_update(
            toolkit=kit, actor=officer, data={"name": "Stale"}, version=kit.version
        )


def test_a_cancelled_activity_takes_no_one_more(officer, ward):
    # given
    task = VolunteerTaskFactory()
    RiskAssessmentFactory(task=task, area=ward)
    activity = VolunteerActivityFactory(task=task, area=ward)
    volunteering.volunteer_activity_cancel(activity=activity, actor=officer, reason="Storm")
    # when / then
    with pytest.raises(EngagementError, match="scheduled activity"):
        volunteering.volunteer_roster_add(
            activity=activity,
            participant=VolunteerFactory(participant__home_ward=ward).participant,
            actor=officer,
        )
