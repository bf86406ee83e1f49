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
