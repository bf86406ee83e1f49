"""Every API call lands in the audit trail: client, scope, route, ids, outcome."""

import pytest
from rest_framework.test import APIClient

from governance.models import AuditEvent
from tests.api.fixtures import api_for

pytestmark = pytest.mark.django_db


def test_a_list_call_records_the_client_scope_route_and_ids(police_api, police_client, aap, ward):
    # when
    response = police_api.get("/api/v1/areas/")
    # then
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action__startswith="api areas").get()
    assert event.api_client == police_client.client_id
    assert event.actor is None
    assert event.action == "api areas:read"
    assert event.route == "GET /api/v1/areas/ 200"
    assert event.object_type == "communities.area"
    assert sorted(event.object_ids) == sorted([str(aap.pk), str(ward.pk)])
    assert event.outcome == AuditEvent.Outcome.OK


def test_a_detail_call_records_the_object(police_api, aap):
    # when
    police_api.get(f"/api/v1/areas/{aap.pk}/")
    # then
    event = AuditEvent.objects.filter(action="api areas:read").get()
    assert event.object_id == str(aap.pk)
    assert event.object_ids == []


def test_a_call_refused_for_want_of_scope_is_recorded(police_client):
    # given
    api = api_for(police_client, scope="areas:read")
    # when
    api.get("/api/v1/partnerships/")
    # then
    event = AuditEvent.objects.filter(action="api partnerships:read").get()
    assert event.outcome == AuditEvent.Outcome.REFUSED
    assert event.route == "GET /api/v1/partnerships/ 403"
    assert event.api_client == police_client.client_id


def test_a_call_for_another_agencys_record_is_recorded_as_refused(police_api, other_ward):
    # when
    response = police_api.get(f"/api/v1/areas/{other_ward.pk}/")
    # then
    assert response.status_code == 404
    event = AuditEvent.objects.filter(action="api areas:read").get()
    assert event.outcome == AuditEvent.Outcome.REFUSED


def test_a_call_without_credentials_is_recorded(db):
    # when
    APIClient().get("/api/v1/areas/")
    # then
    event = AuditEvent.objects.filter(action="api areas:read").get()
    assert event.outcome == AuditEvent.Outcome.REFUSED
    assert event.api_client == ""
    assert event.actor is None


def test_a_session_call_records_the_person(officer, aap):
    # given
    api = APIClient()
    api.force_login(officer)
    # when
    api.get("/api/v1/areas/")
    # then
    event = AuditEvent.objects.filter(action="api areas:read").get()
    assert event.actor == officer
    assert event.actor_role == "officer"
    assert event.api_client == ""


def test_a_call_to_an_unknown_path_is_recorded_with_its_client(police_api, police_client):
    # when
    response = police_api.post("/api/v1/no-such-thing/", {"a": 1}, format="json")
    # then
    assert response.status_code == 404
    event = AuditEvent.objects.get(route="POST /api/v1/no-such-thing/ 404")
    assert event.action == "api call"
    assert event.api_client == police_client.client_id
    assert event.outcome == AuditEvent.Outcome.REFUSED


@pytest.mark.parametrize(
    ("credentials", "content_type"),
    [
        ({}, "application/json"),
        ({"HTTP_AUTHORIZATION": "Bearer not-a-token"}, "application/json"),
        ({"HTTP_AUTHORIZATION": "Bearer not-a-token"}, "multipart/form-data; boundary=x"),
    ],
)
def test_a_call_to_an_unknown_path_without_a_valid_token_is_recorded_and_still_404(
    db, credentials, content_type
):
    # when: a body that does not parse as what it says it is
    response = APIClient().post(
        "/api/v1/areas/abc/x/", data="--y\r\n{", content_type=content_type, **credentials
    )
    # then: the same answer as with a valid token, and recorded without a client
    assert response.status_code == 404
    event = AuditEvent.objects.get()
    assert (event.api_client, event.actor) == ("", None)
    assert event.route == "POST /api/v1/areas/abc/x/ 404"


def test_a_session_call_to_an_unknown_path_records_the_person(officer):
    # given
    api = APIClient()
    api.force_login(officer)
    # when
    api.get("/api/v1/no-such-thing/")
    # then
    assert AuditEvent.objects.get(route="GET /api/v1/no-such-thing/ 404").actor == officer


@pytest.mark.urls("tests.api.urls_echo")
def test_a_failed_call_is_recorded_as_an_error(police_api):
    # given
    police_api.raise_request_exception = False
    # when
    police_api.post("/api/test/broken/", {"text": "x"}, format="json")
    # then
    event = AuditEvent.objects.filter(route__startswith="POST /api/test/broken/").get()
    assert event.outcome == AuditEvent.Outcome.ERROR
