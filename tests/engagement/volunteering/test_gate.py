"""The gate, in every combination: who asks x the assessment's state x the volunteer's
training x their age x whether the task is a job for the experts; then induction, and
the gate as scheduling and rostering enforce it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from engagement.models import ActivityRosterEntry, RiskAssessment, VolunteerActivity
from engagement.volunteering import gate
from engagement.volunteering import services as volunteering
from tests.accounts.factories import OfficerFactory
from tests.engagement.factories import (
    ParticipantFactory,
    RiskAssessmentFactory,
    RosterEntryFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    VolunteerActivityFactory,
    VolunteerFactory,
    VolunteerTaskFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "officer",
    "officer_elsewhere",
    "administrator",
    "group_lead",
    "elected_member",
    "partner_user",
]
ASSESSMENTS = ["none", "draft", "submitted", "approved", "expired", "under_review"]
TRAINING = ["none", "current", "expired"]
AGES = ["adult", "under_minimum", "unknown"]
PROHIBITED = [False, True]
MATRIX = [
    (role, assessment, training, age, prohibited)
    for role in ROLES
    for assessment in ASSESSMENTS
    for training in TRAINING
    for age in AGES
    for prohibited in PROHIBITED
]


def expected_codes(role, assessment, training, age, prohibited) -> set[str]:
    """The refusals the rules call for, worked out independently of the gate."""
    codes = set()
    if role not in ("officer", "administrator"):
        codes.add(gate.NOT_PERMITTED)
    if prohibited:
        return codes | {gate.TASK_PROHIBITED}
    codes |= {
        "none": {gate.ASSESSMENT_MISSING},
        "draft": {gate.ASSESSMENT_NOT_APPROVED},
        "submitted": {gate.ASSESSMENT_NOT_APPROVED},
        "approved": set(),
        "expired": {gate.ASSESSMENT_OUT_OF_DATE},
        "under_review": {gate.ASSESSMENT_NOT_APPROVED},
    }[assessment]
    codes |= {
        "none": {gate.TRAINING_MISSING},
        "current": set(),
        "expired": {gate.TRAINING_EXPIRED},
    }[training]
    codes |= {
        "adult": set(),
        "under_minimum": {gate.UNDER_MINIMUM_AGE},
        "unknown": {gate.AGE_UNKNOWN},
    }[age]
    return codes


@pytest.fixture
def actor_for(request, ward, other_ward):
    def make(role):
        if role == "officer_elsewhere":
            return OfficerFactory(areas=[other_ward])
        if role == "group_lead":
            resident = request.getfixturevalue("resident")
            RosterEntryFactory(
                participant=ParticipantFactory(user=resident, home_ward=ward),
                activity=VolunteerActivityFactory(area=ward),
                role=ActivityRosterEntry.Role.LEAD,
            )
            return resident
        return request.getfixturevalue(role)

    return make


@pytest.mark.parametrize(
    ("role", "assessment", "training", "age", "prohibited"),
    MATRIX,
    ids=["-".join(str(v) for v in case) for case in MATRIX],
)
def test_gate_refuses_exactly_what_is_missing(
    actor_for, ward, role, assessment, training, age, prohibited
):
    # given
    today = timezone.localdate()
    day = today + timedelta(days=14)
    course = TrainingCourseFactory(name="Safe use of the environmental toolkit")
    task = VolunteerTaskFactory(name="Litter pick", minimum_age=16, required_training=[course])
    if assessment != "none":
        RiskAssessmentFactory(
            task=task,
            area=ward,
            status=assessment,
            review_on=today - timedelta(days=1) if assessment == "expired" else day,
        )
    if prohibited:
        volunteering.volunteer_task_update(
            task=task,
            actor=None,
            data={"is_prohibited": True, "instead": "Report it: the council's team does it."},
        )
        task.refresh_from_db()
    person = ParticipantFactory(full_name="Jo Bloggs", home_ward=ward)
    VolunteerFactory(
        participant=person,
        date_of_birth={
            "adult": date(1980, 1, 1),
            "under_minimum": today.replace(year=today.year - 15),
            "unknown": None,
        }[age],
        age_basis="" if age == "unknown" else "legal_obligation",
    )
    if training != "none":
        TrainingRecordFactory(
            participant=person,
            course=course,
            completed_on=today - timedelta(days=30 if training == "current" else 800),
        )
    actor = actor_for(role)
    # when
    result = gate.volunteer_gate_check(actor=actor, task=task, area=ward, on=day, volunteer=person)
    # then
    expected = expected_codes(role, assessment, training, age, prohibited)
    assert result.codes == expected
    assert result.allowed is (not expected)
    messages = " ".join(r.message for r in result.refusals)
    if gate.TRAINING_MISSING in expected or gate.TRAINING_EXPIRED in expected:
        assert "Safe use of the environmental toolkit" in messages
        assert "Jo Bloggs" in messages
    if gate.TASK_PROHIBITED in expected:
        refusal = next(r for r in result.refusals if r.code == gate.TASK_PROHIBITED)
        assert "Report it" in refusal.message
        assert refusal.link.startswith("/report/")
    if gate.UNDER_MINIMUM_AGE in expected:
        assert "under 16" in messages


@pytest.mark.parametrize(
    ("covered", "missing"),
    [
        ({}, "has not been inducted"),
        ({"pack_acknowledged": True}, "emergency procedures or the boundaries of the role"),
        (
            {"pack_acknowledged": True, "emergency_procedures_covered": True},
            "the boundaries of the role",
        ),
        (
            {"emergency_procedures_covered": True, "role_boundaries_covered": True},
            "the volunteer involvement pack",
        ),
    ],
)
def test_gate_refuses_until_the_induction_covered_all_three(officer, ward, covered, missing):
    # given
    task = VolunteerTaskFactory()
    RiskAssessmentFactory(task=task, area=ward)
    person = ParticipantFactory(full_name="Jo Bloggs", home_ward=ward)
    VolunteerFactory(
        participant=person,
        inducted_on=timezone.localdate() if covered else None,
        pack_acknowledged=covered.get("pack_acknowledged", False),
        emergency_procedures_covered=covered.get("emergency_procedures_covered", False),
        role_boundaries_covered=covered.get("role_boundaries_covered", False),
    )
    # when
    result = gate.volunteer_gate_check(
        actor=officer, task=task, area=ward, on=timezone.localdate(), volunteer=person
    )
    # then
    assert result.codes == {gate.INDUCTION_INCOMPLETE}
    assert missing in result.refusals[0].message


def test_gate_passes_a_fully_inducted_trained_adult_on_an_assessed_task(officer, ward):
    # given
    course = TrainingCourseFactory()
    task = VolunteerTaskFactory(required_training=[course])
    approved = RiskAssessmentFactory(task=task, area=ward.parent)
    person = VolunteerFactory(participant__home_ward=ward).participant
    TrainingRecordFactory(participant=person, course=course)
    # when
    result = gate.volunteer_gate_check(
        actor=officer, task=task, area=ward, on=timezone.localdate(), volunteer=person
    )
    # then: the area's assessment covers its wards
    assert result.allowed
    assert result.assessment == approved


def test_an_assessment_for_another_area_does_not_cover(officer, ward, other_ward):
    # given
    task = VolunteerTaskFactory()
    RiskAssessmentFactory(task=task, area=other_ward)
    # when
    result = gate.volunteer_gate_check(
        actor=officer, task=task, area=ward, on=timezone.localdate()
    )
    # then
    assert result.codes == {gate.ASSESSMENT_MISSING}
    assert result.refusals[0].link.startswith("/volunteering/assessments/new/?task=")


def test_an_assessment_due_for_review_before_the_day_does_not_cover_it(officer, ward):
    # given
    today = timezone.localdate()
    task = VolunteerTaskFactory()
    RiskAssessmentFactory(task=task, area=ward, review_on=today + timedelta(days=10))
    # when
    before = gate.volunteer_gate_check(
        actor=officer, task=task, area=ward, on=today + timedelta(days=10)
    )
    after = gate.volunteer_gate_check(
        actor=officer, task=task, area=ward, on=today + timedelta(days=11)
    )
    # then
    assert before.allowed
    assert after.codes == {gate.ASSESSMENT_OUT_OF_DATE}


@pytest.mark.parametrize(
    ("told", "minimum", "code"),
    [
        ({"confirmed_adult": True}, 18, None),
        ({"confirmed_adult": True}, 21, gate.AGE_UNKNOWN),
        ({"year_of_birth": "born_18_years_ago"}, 18, gate.AGE_UNKNOWN),
        ({"year_of_birth": "born_19_years_ago"}, 18, None),
        ({"year_of_birth": "born_17_years_ago"}, 18, gate.UNDER_MINIMUM_AGE),
        ({"date_of_birth": "18th_birthday_today"}, 18, None),
        ({"date_of_birth": "18th_birthday_tomorrow"}, 18, gate.UNDER_MINIMUM_AGE),
        ({}, 0, None),
    ],
)
def test_age_comes_from_what_the_volunteer_told_us_for_safety(officer, ward, told, minimum, code):
    # given
    today = timezone.localdate()
    values = {
        "born_18_years_ago": today.year - 18,
        "born_19_years_ago": today.year - 19,
        "born_17_years_ago": today.year - 17,
        "18th_birthday_today": date(today.year - 18, today.month, min(today.day, 28)),
        "18th_birthday_tomorrow": date(today.year - 18, 1, 1) + timedelta(days=365 * 20),
    }
    day = today if today.day <= 28 else today.replace(day=28)
    fields = {"date_of_birth": None, "year_of_birth": None, "confirmed_adult": False}
    for name, value in told.items():
        fields[name] = values.get(value, value)
    if told.get("date_of_birth") == "18th_birthday_tomorrow":
        fields["date_of_birth"] = (day + timedelta(days=1)).replace(year=day.year - 18)
    task = VolunteerTaskFactory(minimum_age=minimum)
    RiskAssessmentFactory(task=task, area=ward)
    person = VolunteerFactory(
        participant__home_ward=ward, age_basis="legal_obligation" if told else "", **fields
    ).participant
    # when
    result = gate.volunteer_gate_check(
        actor=officer, task=task, area=ward, on=day, volunteer=person
    )
    # then
    assert result.codes == ({code} if code else set())


def test_age_is_never_read_from_the_equality_answers(officer, ward):
    # given: an equality answer says 1980, but nothing was given for safety
    from engagement import services

    task = VolunteerTaskFactory()
    RiskAssessmentFactory(task=task, area=ward)
    person = VolunteerFactory(participant__home_ward=ward, date_of_birth=None, age_basis="")
    services.equality_response_record(
        participant=person.participant, answers=services.EqualityAnswers(year_of_birth=1980)
    )
    # when
    result = gate.volunteer_gate_check(
        actor=officer, task=task, area=ward, on=timezone.localdate(), volunteer=person.participant
    )
    # then
    assert result.codes == {gate.AGE_UNKNOWN}


def test_scheduling_goes_through_the_gate_and_writes_nothing_when_refused(officer, ward):
    # given
    task = VolunteerTaskFactory(name="Graffiti removal")
    starts = timezone.now() + timedelta(days=3)
    data = {
        "title": "Underpass clean-up",
        "task": task,
        "area": ward,
        "site": "Station Road underpass",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
    }
    # when
    with pytest.raises(gate.GateRefusedError) as refused:
        volunteering.volunteer_activity_schedule(actor=officer, data=data)
    # then
    assert [r.code for r in refused.value.refusals] == [gate.ASSESSMENT_MISSING]
    assert "Graffiti removal" in str(refused.value)
    assert not VolunteerActivity.objects.exists()
    # and once assessed, it is scheduled
    RiskAssessmentFactory(task=task, area=ward)
    activity = volunteering.volunteer_activity_schedule(actor=officer, data=data)
    assert activity.status == VolunteerActivity.Status.SCHEDULED


def test_an_activity_at_an_event_is_in_the_events_area(officer, ward):
    """Scheduled at an event in one ward but placed in another that has a risk assessment,
    the gate would have passed an activity no assessment covers: refused."""
    from tests.communities.factories import WardFactory
    from tests.engagement.factories import EventFactory

    # given an event in Riverside, and the task assessed only in the officer's ward
    riverside = WardFactory(name="Riverside", parent=ward.parent)
    officer.areas.add(riverside)
    task = VolunteerTaskFactory()
    RiskAssessmentFactory(task=task, area=ward)
    starts = timezone.now() + timedelta(days=3)
    event = EventFactory(area=riverside, title="Riverside litter pick", starts_at=starts)
    data = {
        "title": "Litter pick",
        "task": task,
        "area": ward,
        "site": "Riverside park",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "event": event,
    }
    # when
    with pytest.raises(volunteering.EngagementError) as refused:
        volunteering.volunteer_activity_schedule(actor=officer, data=data)
    # then
    assert str(refused.value) == (
        f"Riverside litter pick is in Riverside: an activity at it is in that area, not "
        f"{ward.name}."
    )
    assert not VolunteerActivity.objects.exists()
    # and in the event's own area it goes through the gate, which asks for that area's
    # assessment
    with pytest.raises(gate.GateRefusedError) as unassessed:
        volunteering.volunteer_activity_schedule(actor=officer, data={**data, "area": riverside})
    assert [r.code for r in unassessed.value.refusals] == [gate.ASSESSMENT_MISSING]
    RiskAssessmentFactory(task=task, area=riverside)
    activity = volunteering.volunteer_activity_schedule(
        actor=officer, data={**data, "area": riverside}
    )
    assert activity.event == event


def test_a_named_lead_must_pass_the_gate_too(officer, ward):
    # given
    task = VolunteerTaskFactory()
    RiskAssessmentFactory(task=task, area=ward)
    lead = ParticipantFactory(home_ward=ward)
    starts = timezone.now() + timedelta(days=3)
    # when
    with pytest.raises(gate.GateRefusedError) as refused:
        volunteering.volunteer_activity_schedule(
            actor=officer,
            data={
                "title": "Litter pick",
                "task": task,
                "area": ward,
                "site": "Park",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=1),
                "lead": lead,
            },
        )
    # then
    assert gate.INDUCTION_INCOMPLETE in {r.code for r in refused.value.refusals}
    assert not VolunteerActivity.objects.exists()


def test_rostering_goes_through_the_gate(officer, ward):
    # given
    course = TrainingCourseFactory()
    task = VolunteerTaskFactory(required_training=[course])
    RiskAssessmentFactory(task=task, area=ward)
    activity = VolunteerActivityFactory(task=task, area=ward)
    trained = VolunteerFactory(participant__home_ward=ward).participant
    TrainingRecordFactory(participant=trained, course=course)
    untrained = VolunteerFactory(
        participant__home_ward=ward, participant__full_name="Pat Untrained"
    ).participant
    # when
    entry = volunteering.volunteer_roster_add(
        activity=activity, participant=trained, actor=officer
    )
    again = volunteering.volunteer_roster_add(
        activity=activity, participant=trained, actor=officer
    )
    with pytest.raises(gate.GateRefusedError) as refused:
        volunteering.volunteer_roster_add(activity=activity, participant=untrained, actor=officer)
    # then
    assert entry == again
    assert [r.code for r in refused.value.refusals] == [gate.TRAINING_MISSING]
    assert "Pat Untrained has no Safe use of the environmental toolkit training" in str(
        refused.value
    )
    assert list(activity.roster.values_list("participant", flat=True)) == [trained.pk]


def test_a_reopened_assessment_stops_further_rostering(officer, ward):
    # given
    task = VolunteerTaskFactory()
    assessment = RiskAssessmentFactory(task=task, area=ward)
    activity = VolunteerActivityFactory(task=task, area=ward)
    person = VolunteerFactory(participant__home_ward=ward).participant
    volunteering.risk_assessment_reopen(assessment=assessment, actor=officer, reason="Near miss")
    # when
    with pytest.raises(gate.GateRefusedError) as refused:
        volunteering.volunteer_roster_add(activity=activity, participant=person, actor=officer)
    # then
    assert [r.code for r in refused.value.refusals] == [gate.ASSESSMENT_NOT_APPROVED]
    assert "reopened for review (Near miss)" in str(refused.value)
    assert RiskAssessment.objects.get().status == RiskAssessment.Status.UNDER_REVIEW
