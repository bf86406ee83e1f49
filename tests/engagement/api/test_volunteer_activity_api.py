"""/api/v1/volunteer-activities/: activities in the agency's areas (no names, no assessment
details); an agency schedules activities for its own events and rosters volunteers it
knows, through the same gate as the council's pages (engagement.volunteering.gate)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from engagement.models import ActivityRosterEntry, VolunteerActivity
from engagement.volunteering import gate
from governance.models import AuditEvent
from tests.api.fixtures import api_for
from tests.engagement.factories import (
    AttendanceFactory,
    EventFactory,
    ParticipantFactory,
    ProhibitedTaskFactory,
    RiskAssessmentFactory,
    RosterEntryFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    VolunteerActivityFactory,
    VolunteerFactory,
    VolunteerTaskFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    return TrainingCourseFactory(name="Litter picking safely", valid_for_months=12)


@pytest.fixture
def task(course):
    return VolunteerTaskFactory(name="Litter pick", minimum_age=16, required_training=[course])


@pytest.fixture
def assessed(task, ward):
    return RiskAssessmentFactory(task=task, area=ward)


@pytest.fixture
def police_event(police, ward):
    return EventFactory(area=ward, organising_agency=police)


@pytest.fixture
def activity(task, ward, police_event):
    return VolunteerActivityFactory(task=task, area=ward, event=police_event)


def known_volunteer(event, *, reference="VOL-0001", **volunteer) -> object:
    """A volunteer registered for the agency's event: inducted and adult unless told."""
    participant = ParticipantFactory(reference=reference, home_ward=event.area)
    AttendanceFactory(event=event, participant=participant)
    VolunteerFactory(participant=participant, **volunteer)
    return participant


def new_activity(task, event, **extra) -> dict:
    starts = timezone.now() + timedelta(days=10)
    return {
        "title": "Abbey Fields litter pick",
        "task": task.pk,
        "event": event.pk,
        "area": event.area_id,
        "site": "Abbey Fields park gates",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        **extra,
    }


# Reading ---------------------------------------------------------------------------------


def test_agency_sees_activities_in_its_areas_with_counts_but_no_names(
    police_api, fire_api, ward, other_ward, activity, assessed, course
):
    # given
    volunteer = known_volunteer(activity.event, date_of_birth=date(1987, 3, 9))
    RosterEntryFactory(activity=activity, participant=volunteer)
    RosterEntryFactory(activity=activity, status=ActivityRosterEntry.Status.WITHDRAWN)
    theirs = VolunteerActivityFactory(area=other_ward)
    # when
    response = police_api.get("/api/v1/volunteer-activities/")
    # then
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [activity.pk]
    assert rows[0]["roster_count"] == 1
    assert rows[0]["assessment_status"] == "covered"
    assert rows[0]["task"]["name"] == "Litter pick"
    assert rows[0]["organising_agency"]["id"] == activity.event.organising_agency_id
    body = response.content.decode()
    for secret in (volunteer.full_name, "VOL-0001", "1987", assessed.reference, "Sharps"):
        assert secret not in body
    fire_rows = fire_api.get("/api/v1/volunteer-activities/").json()["results"]
    assert [row["id"] for row in fire_rows] == [theirs.pk]


def test_unassessed_activity_reads_as_not_covered(police_api, ward, police_event):
    # given
    VolunteerActivityFactory(area=ward, event=police_event)
    # when
    rows = police_api.get("/api/v1/volunteer-activities/").json()["results"]
    # then
    assert rows[0]["assessment_status"] == "not_covered"


def test_residents_may_not_read_activities(resident, activity):
    # given
    api = APIClient()
    api.force_login(resident)
    # when / then
    assert api.get("/api/v1/volunteer-activities/").status_code == 403


def test_officer_session_reads_but_does_not_schedule(officer, activity, task, police_event):
    # given
    api = APIClient()
    api.force_login(officer)
    # when
    listed = api.get("/api/v1/volunteer-activities/")
    posted = api.post(
        "/api/v1/volunteer-activities/", new_activity(task, police_event), format="json"
    )
    # then
    assert [row["id"] for row in listed.json()["results"]] == [activity.pk]
    assert posted.status_code == 403
    assert VolunteerActivity.objects.count() == 1


@pytest.mark.parametrize("page_size", [1, 10])
def test_activity_list_query_count_is_constant(
    police_api, ward, task, police_event, django_assert_num_queries, page_size
):
    # given
    for _ in range(12):
        RosterEntryFactory(activity=VolunteerActivityFactory(task=task, area=ward))
    # when / then
    # token with its application, client and agency; count; page of activities with
    # task, area, event and agency, roster count and cover subquery; audit insert
    with django_assert_num_queries(4):
        response = police_api.get(f"/api/v1/volunteer-activities/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)


# Scheduling ------------------------------------------------------------------------------


def test_agency_schedules_an_assessed_activity_for_its_event(
    police_client, police_api, task, assessed, police_event
):
    # when
    response = police_api.post(
        "/api/v1/volunteer-activities/", new_activity(task, police_event), format="json"
    )
    # then
    assert response.status_code == 201, response.content
    activity = VolunteerActivity.objects.get(pk=response.json()["id"])
    assert activity.event == police_event
    assert activity.created_by is None
    assert response.json()["assessment_status"] == "covered"
    assert AuditEvent.objects.filter(
        action="engagement.activity.schedule", api_client=police_client.client_id
    ).exists()


def test_scheduling_without_an_assessment_is_refused_naming_it(police_api, task, police_event):
    # when
    response = police_api.post(
        "/api/v1/volunteer-activities/", new_activity(task, police_event), format="json"
    )
    # then
    assert response.status_code == 400
    assert "No risk assessment covers Litter pick in Town Centre" in response.json()["detail"]
    assert [r["code"] for r in response.json()["refusals"]] == [gate.ASSESSMENT_MISSING]
    assert not VolunteerActivity.objects.exists()


@pytest.mark.parametrize(
    ("state", "code"),
    [
        ("draft", gate.ASSESSMENT_NOT_APPROVED),
        ("submitted", gate.ASSESSMENT_NOT_APPROVED),
        ("under_review", gate.ASSESSMENT_NOT_APPROVED),
        ("expired", gate.ASSESSMENT_OUT_OF_DATE),
    ],
)
def test_scheduling_without_an_approved_in_date_assessment_is_refused(
    police_api, task, ward, police_event, state, code
):
    # given
    review_on = timezone.localdate() - timedelta(days=1) if state == "expired" else None
    extra = {"review_on": review_on} if review_on else {}
    RiskAssessmentFactory(task=task, area=ward, status=state, **extra)
    # when
    response = police_api.post(
        "/api/v1/volunteer-activities/", new_activity(task, police_event), format="json"
    )
    # then
    assert response.status_code == 400
    assert [r["code"] for r in response.json()["refusals"]] == [code]
    assert not VolunteerActivity.objects.exists()


def test_a_job_for_the_experts_is_never_scheduled(police_api, ward, police_event):
    # given
    task = ProhibitedTaskFactory()
    # when
    response = police_api.post(
        "/api/v1/volunteer-activities/", new_activity(task, police_event), format="json"
    )
    # then
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "is a job for the experts: volunteers never do it" in detail
    assert "Report it: the council's team removes it safely." in detail
    assert not VolunteerActivity.objects.exists()


def test_only_the_events_organiser_schedules_through_the_api(
    police_api, fire, task, assessed, ward
):
    # given: an event in the police's area that the fire service organises
    event = EventFactory(area=ward, organising_agency=fire)
    # when
    response = police_api.post(
        "/api/v1/volunteer-activities/", new_activity(task, event), format="json"
    )
    # then
    assert response.status_code == 400
    assert [r["code"] for r in response.json()["refusals"]] == [gate.NOT_PERMITTED]
    assert not VolunteerActivity.objects.exists()


def test_read_scope_alone_cannot_schedule(police_client, task, assessed, police_event):
    # given
    api = api_for(police_client, scope="volunteering:read")
    # when
    response = api.post(
        "/api/v1/volunteer-activities/", new_activity(task, police_event), format="json"
    )
    # then
    assert response.status_code == 403
    assert not VolunteerActivity.objects.exists()


def test_activity_must_end_after_it_starts(police_api, task, assessed, police_event):
    # given
    body = new_activity(task, police_event)
    body["ends_at"], body["starts_at"] = body["starts_at"], body["ends_at"]
    # when
    response = police_api.post("/api/v1/volunteer-activities/", body, format="json")
    # then
    assert response.status_code == 400
    assert "ends_at" in response.json()


def test_a_second_activity_for_an_event_is_refused_naming_the_first(
    police_api, task, assessed, activity
):
    # when: the event has its activity already
    response = police_api.post(
        "/api/v1/volunteer-activities/",
        new_activity(task, activity.event, title="Another pick"),
        format="json",
    )
    # then
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"{activity.event.title} already has its volunteer activity, {activity.title}: "
        "an event has one."
    )
    assert VolunteerActivity.objects.count() == 1


# Rostering -------------------------------------------------------------------------------


def roster(api, activity, reference="VOL-0001"):
    return api.post(
        f"/api/v1/volunteer-activities/{activity.pk}/roster/",
        {"volunteer": reference},
        format="json",
    )


def test_agency_rosters_a_trained_volunteer_it_knows(
    police_client, police_api, activity, assessed, course
):
    # given
    volunteer = known_volunteer(activity.event)
    TrainingRecordFactory(participant=volunteer, course=course)
    # when
    response = roster(police_api, activity)
    # then
    assert response.status_code == 201, response.content
    assert response.json()["roster_count"] == 1
    assert volunteer.full_name not in response.content.decode()
    assert ActivityRosterEntry.objects.get().participant == volunteer
    assert AuditEvent.objects.filter(
        action="engagement.roster.add", api_client=police_client.client_id
    ).exists()


@pytest.mark.parametrize(
    ("setup", "code", "words"),
    [
        ("not_inducted", gate.INDUCTION_INCOMPLETE, "has not been inducted"),
        ("half_inducted", gate.INDUCTION_INCOMPLETE, "induction has not yet covered"),
        ("untrained", gate.TRAINING_MISSING, "has no Litter picking safely training"),
        ("lapsed", gate.TRAINING_EXPIRED, "Litter picking safely training expired on"),
        ("age_unknown", gate.AGE_UNKNOWN, "age is not recorded"),
        ("too_young", gate.UNDER_MINIMUM_AGE, "is under 16, the minimum age for Litter pick"),
    ],
)
def test_rostering_is_refused_naming_what_is_missing(
    police_api, activity, assessed, course, setup, code, words
):
    # given
    today = timezone.localdate()
    volunteer = {
        "not_inducted": {
            "inducted_on": None,
            "pack_acknowledged": False,
            "emergency_procedures_covered": False,
            "role_boundaries_covered": False,
        },
        "half_inducted": {"role_boundaries_covered": False},
        "age_unknown": {"date_of_birth": None, "year_of_birth": None},
        "too_young": {"date_of_birth": today.replace(year=today.year - 14)},
    }.get(setup, {})
    participant = known_volunteer(activity.event, **volunteer)
    if setup == "lapsed":
        TrainingRecordFactory(
            participant=participant, course=course, completed_on=today - timedelta(days=400)
        )
    elif setup != "untrained":
        TrainingRecordFactory(participant=participant, course=course)
    # when
    response = roster(police_api, activity)
    # then
    assert response.status_code == 400, response.content
    assert [r["code"] for r in response.json()["refusals"]] == [code]
    assert words in response.json()["detail"]
    assert not ActivityRosterEntry.objects.exists()


def test_no_one_is_rostered_on_a_job_for_the_experts(police_api, ward, police_event, course):
    # given: an activity for a prohibited task that reached the database somehow
    activity = VolunteerActivityFactory(
        task=ProhibitedTaskFactory(), area=ward, event=police_event
    )
    known_volunteer(police_event)
    # when
    response = roster(police_api, activity)
    # then
    assert response.status_code == 400
    assert [r["code"] for r in response.json()["refusals"]] == [gate.TASK_PROHIBITED]
    assert not ActivityRosterEntry.objects.exists()


def test_rostering_without_an_assessment_is_refused(police_api, activity, course):
    # given
    TrainingRecordFactory(participant=known_volunteer(activity.event), course=course)
    # when
    response = roster(police_api, activity)
    # then
    assert response.status_code == 400
    assert [r["code"] for r in response.json()["refusals"]] == [gate.ASSESSMENT_MISSING]
    assert not ActivityRosterEntry.objects.exists()


def test_a_volunteer_the_agency_does_not_know_is_refused(police_api, activity, assessed, course):
    # given: the reference exists, but the person never came to the agency's events
    stranger = ParticipantFactory(reference="VOL-0001")
    VolunteerFactory(participant=stranger)
    TrainingRecordFactory(participant=stranger, course=course)
    # when
    response = roster(police_api, activity)
    # then
    assert response.status_code == 400
    assert response.json() == {"volunteer": ["No volunteer your agency knows has this reference."]}
    assert not ActivityRosterEntry.objects.exists()


def test_an_email_is_not_a_reference(police_api, activity, assessed, course):
    # given
    volunteer = known_volunteer(activity.event)
    TrainingRecordFactory(participant=volunteer, course=course)
    # when
    response = roster(police_api, activity, reference=volunteer.email)
    # then
    assert response.status_code == 400
    assert not ActivityRosterEntry.objects.exists()


def test_only_the_organiser_rosters(fire, police_api, task, ward, police_event, assessed, course):
    # given: an activity in the police's area for the fire service's event, and a
    # trained volunteer the police know from their own event
    activity = VolunteerActivityFactory(
        task=task, area=ward, event=EventFactory(area=ward, organising_agency=fire)
    )
    TrainingRecordFactory(participant=known_volunteer(police_event), course=course)
    # when
    response = roster(police_api, activity)
    # then
    assert response.status_code == 400
    assert [r["code"] for r in response.json()["refusals"]] == [gate.NOT_PERMITTED]
    assert not ActivityRosterEntry.objects.exists()


def test_another_agencys_activity_is_not_found(fire_api, activity, assessed):
    # when
    response = roster(fire_api, activity)
    # then
    assert response.status_code == 404


# Any input -------------------------------------------------------------------------------

ANY = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from("\x00\x01\n0123456789:-T+Z.é𝄞"), max_size=40),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "x" * n),
    st.none(),
    st.integers(),
)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(title=ANY, task_id=ANY, event=ANY, area=ANY, site=ANY, starts_at=ANY)
def test_any_schedule_input_is_a_4xx_never_a_500(
    police_api, task, police_event, title, task_id, event, area, site, starts_at
):
    # when
    body = {
        **new_activity(task, police_event),
        "title": title,
        "task": task_id,
        "event": event,
        "area": area,
        "site": site,
        "starts_at": starts_at,
    }
    response = police_api.post("/api/v1/volunteer-activities/", body, format="json")
    # then
    assert response.status_code == 400, response.content[:300]


@FUZZ
@given(reference=ANY)
def test_any_roster_input_is_a_4xx_never_a_500(police_api, activity, reference):
    # when
    response = police_api.post(
        f"/api/v1/volunteer-activities/{activity.pk}/roster/",
        {"volunteer": reference},
        format="json",
    )
    # then
    assert response.status_code == 400, response.content[:300]
