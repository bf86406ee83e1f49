"""/api/v1/events/: events in the agency's areas with counts (never names); an agency adds
its own events and reports how many came."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from engagement.models import Attendance, Event
from governance.models import AuditEvent
from tests.api.fixtures import api_for
from tests.engagement.factories import AttendanceFactory, EventFactory

pytestmark = pytest.mark.django_db


def new_event(area, **extra) -> dict:
    starts = timezone.now() + timedelta(days=10)
    return {
        "title": "Street surgery: Town Centre",
        "kind": "forum",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "place": "Northfield Library, Market Street",
        "area": area.pk,
        **extra,
    }


def test_agency_sees_events_in_its_areas_with_counts_but_no_names(
    police_api, fire_api, ward, other_ward, ward_participant
):
    # given
    ours = EventFactory(area=ward, capacity=30)
    AttendanceFactory(event=ours, participant=ward_participant, status="attended")
    AttendanceFactory(event=ours, status=Attendance.Status.CANCELLED)
    theirs = EventFactory(area=other_ward)
    # when
    response = police_api.get("/api/v1/events/")
    # then
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [ours.pk]
    assert rows[0]["attendance"]["registered"] == 1
    assert rows[0]["attendance"]["attended"] == 1
    assert rows[0]["capacity"] == 30
    assert ward_participant.full_name not in response.content.decode()
    assert "check_in_code" not in rows[0]
    assert police_api.get(f"/api/v1/events/{theirs.pk}/").status_code == 404
    assert fire_api.get(f"/api/v1/events/{ours.pk}/").status_code == 404


def test_agency_adds_its_own_event(police, police_api, police_client, ward, partnership):
    # when
    response = police_api.post(
        "/api/v1/events/", new_event(ward, partnership=partnership.pk, capacity=40), format="json"
    )
    # then
    assert response.status_code == 201, response.content
    event = Event.objects.get(pk=response.json()["id"])
    assert event.organising_agency == police
    assert event.registration_open is False
    assert response.json()["organising_agency"]["id"] == police.pk
    assert AuditEvent.objects.filter(
        action="engagement.event.create", api_client=police_client.client_id
    ).exists()


def test_agency_cannot_add_an_event_outside_its_areas(police_api, other_ward, other_partnership):
    # when
    elsewhere = police_api.post("/api/v1/events/", new_event(other_ward), format="json")
    # then
    assert elsewhere.status_code == 400
    assert "area" in elsewhere.json()
    assert not Event.objects.exists()


def test_agency_cannot_name_another_agencys_partnership(police_api, ward, other_partnership):
    # when
    response = police_api.post(
        "/api/v1/events/", new_event(ward, partnership=other_partnership.pk), format="json"
    )
    # then
    assert response.status_code == 400
    assert "partnership" in response.json()


def test_a_partnerships_event_is_in_the_partnerships_area(
    police, police_api, ward, other_ward, partnership
):
    """An agency in two partnerships cannot file one's event under the other: its
    attendance would count in the other partnership's inclusion reports."""
    from tests.governance.factories import PartnershipFactory

    # given the police in a second partnership, covering another area
    rivermouth = PartnershipFactory(
        name="Rivermouth Safer Neighbourhoods", area=other_ward.parent, agencies=[police]
    )
    # when
    response = police_api.post(
        "/api/v1/events/", new_event(ward, partnership=rivermouth.pk), format="json"
    )
    # then
    assert response.status_code == 400
    assert response.json()["area"] == [
        f"Town Centre is not in the area of Rivermouth Safer Neighbourhoods "
        f"({other_ward.parent.name}): choose an area within it, or leave out the partnership."
    ]
    assert not Event.objects.exists()
    # and within the partnership's own area it is added
    ok = police_api.post(
        "/api/v1/events/", new_event(ward, partnership=partnership.pk), format="json"
    )
    assert ok.status_code == 201


def test_event_must_end_after_it_starts(police_api, ward):
    # given
    body = new_event(ward)
    body["ends_at"], body["starts_at"] = body["starts_at"], body["ends_at"]
    # when
    response = police_api.post("/api/v1/events/", body, format="json")
    # then
    assert response.status_code == 400
    assert "ends_at" in response.json()


def test_organiser_reports_the_headcount_of_a_past_event(police, police_api, ward):
    # given
    started = timezone.now() - timedelta(hours=3)
    event = EventFactory(
        area=ward,
        organising_agency=police,
        starts_at=started,
        ends_at=started + timedelta(hours=1),
    )
    # when
    response = police_api.post(
        f"/api/v1/events/{event.pk}/headcount/", {"headcount": 23}, format="json"
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["attendance"]["headcount"] == 23
    assert response.json()["status"] == "completed"
    event.refresh_from_db()
    assert event.headcount == 23


def test_headcount_is_refused_before_the_event(police, police_api, ward):
    # given
    event = EventFactory(area=ward, organising_agency=police)
    # when
    response = police_api.post(
        f"/api/v1/events/{event.pk}/headcount/", {"headcount": 23}, format="json"
    )
    # then
    assert response.status_code == 400
    assert "not started" in response.json()["detail"]


def test_only_the_organiser_reports_a_headcount(police_client, ward, partnership):
    # given: an event in the police's area, organised by the council
    started = timezone.now() - timedelta(hours=3)
    event = EventFactory(area=ward, starts_at=started, ends_at=started + timedelta(hours=1))
    # when
    response = api_for(police_client).post(
        f"/api/v1/events/{event.pk}/headcount/", {"headcount": 5}, format="json"
    )
    # then
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.headcount is None


def test_writing_needs_the_events_write_scope(police_client, ward):
    # given
    api = api_for(police_client, scope="events:read")
    # when
    response = api.post("/api/v1/events/", new_event(ward), format="json")
    # then
    assert response.status_code == 403
    assert "events:write" in response.json()["detail"]


def test_officer_session_is_told_to_add_events_on_the_site(officer, ward):
    # given
    api = APIClient()
    api.force_login(officer)
    # when
    response = api.post("/api/v1/events/", new_event(ward), format="json")
    # then
    assert response.status_code == 403
    assert not Event.objects.exists()


ANY = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from("\x00\x01\n0123456789:-T+Z.é𝄞"), max_size=40),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "x" * n),
    st.none(),
    st.integers(),
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=ANY, kind=ANY, starts_at=ANY, place=ANY, area=ANY, capacity=ANY)
def test_any_event_input_is_a_4xx_never_a_500(
    police_api, ward, title, kind, starts_at, place, area, capacity
):
    # when
    body = {
        **new_event(ward),
        "title": title,
        "kind": kind,
        "starts_at": starts_at,
        "place": place,
        "area": area,
        "capacity": capacity,
    }
    response = police_api.post("/api/v1/events/", body, format="json")
    # then
    assert response.status_code in {201, 400}, response.content[:300]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(headcount=ANY)
def test_any_headcount_is_a_4xx_never_a_500(police, police_api, ward, headcount):
    # given
    event = EventFactory(area=ward, organising_agency=police)
    # when
    response = police_api.post(
        f"/api/v1/events/{event.pk}/headcount/", {"headcount": headcount}, format="json"
    )
    # then
    assert response.status_code in {200, 400}, response.content[:300]


@pytest.mark.parametrize("page_size", [1, 10])
def test_event_list_query_count_is_constant(
    police, police_api, ward, django_assert_num_queries, page_size
):
    # given
    for _ in range(12):
        event = EventFactory(area=ward, organising_agency=police)
        AttendanceFactory(event=event)
    # when / then
    # token with its application, client and agency; page and total of events with area
    # and agency; the page's attendance counts; audit insert
    with django_assert_num_queries(4):
        response = police_api.get(f"/api/v1/events/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)
    assert {row["attendance"]["registered"] for row in response.json()["results"]} == {1}
