"""GET /api/v1/me/: the calling client, its agency, scopes and partnerships."""

import pytest
from rest_framework.test import APIClient

from tests.api.fixtures import api_for

pytestmark = pytest.mark.django_db


def test_me_describes_the_client(police_client, police, partnership):
    # given
    api = api_for(police_client, scope="areas:read")
    # when
    body = api.get("/api/v1/me/").json()
    # then
    assert body["kind"] == "client"
    assert body["client_id"] == police_client.client_id
    assert body["agency"]["name"] == police.name
    assert body["scopes"] == ["areas:read"]
    assert body["token_expires_at"]
    assert body["person"] is None
    assert [p["id"] for p in body["partnerships"]] == [partnership.pk]


def test_me_describes_a_signed_in_officer(officer, partnership):
    # given
    api = APIClient()
    api.force_login(officer)
    # when
    body = api.get("/api/v1/me/").json()
    # then
    assert body["kind"] == "person"
    assert body["person"] == {"name": officer.full_name, "roles": ["officer"]}
    assert body["client_id"] is None
    assert "areas:read" in body["scopes"]
    assert [p["id"] for p in body["partnerships"]] == [partnership.pk]


def test_a_signed_in_officer_is_told_only_the_scopes_they_may_use(officer, aap):
    """Adding assets and events, moving issue reports on, scheduling volunteers and
    posting Open311 reports are for partner agencies' clients: an officer does those on
    the site, so /me/ does not list them, and the refusal names the scope."""
    from coproduction.api.scopes import scopes as registry

    # given
    api = APIClient()
    api.force_login(officer)
    clients_only = {
        "assets:write",
        "events:write",
        "open311:write",
        "reports:write",
        "volunteering:write",
    }
    # when
    listed = set(api.get("/api/v1/me/").json()["scopes"])
    refused = api.post("/api/v1/events/", {}, format="json")
    # then
    assert listed == set(registry.names()) - clients_only
    assert {"outcomes:write", "reports:request"} <= listed
    assert refused.status_code == 403
    assert "events:write" in refused.json()["detail"]
    assert "on the site" in refused.json()["detail"]


def test_a_board_member_session_reads_but_may_not_write(board_member):
    # given
    api = APIClient()
    api.force_login(board_member)
    # when
    scopes = api.get("/api/v1/me/").json()["scopes"]
    # then
    assert scopes
    assert all(scope.endswith(":read") for scope in scopes)


def test_me_query_count(police_api, django_assert_num_queries, partnership):
    # token with application, client, agency; partnerships with areas; audit
    with django_assert_num_queries(3):
        police_api.get("/api/v1/me/")
