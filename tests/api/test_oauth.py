"""Partners' tokens: client credentials, at most an hour, scoped, revocable."""

import base64
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient

from coproduction.api.services import api_client_revoke, api_client_secret_reset
from governance.models import AuditEvent
from tests.api.fixtures import api_for, token_for

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/oauth/token/"


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def test_token_is_issued_for_client_credentials_and_lasts_at_most_an_hour(police_client):
    # when
    response = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic(police_client.client_id, police_client.secret),
    )
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert 0 < body["expires_in"] <= 3600
    assert "refresh_token" not in body
    assert set(body["scope"].split()) == set(police_client.scopes)
    token = AccessToken.objects.get()
    assert token.expires <= timezone.now() + timedelta(hours=1)


def test_token_is_stored_only_as_a_checksum(police_client):
    # when
    raw = token_for(police_client)
    # then
    stored = AccessToken.objects.get()
    assert stored.token == ""
    assert raw not in stored.token_checksum


def test_client_secret_is_stored_hashed(police_client):
    # then
    stored = Application.objects.get(pk=police_client.application_id).client_secret
    assert stored != police_client.secret
    assert check_password(police_client.secret, stored)


def test_token_may_be_narrowed_to_some_scopes(police_client):
    # given
    api = api_for(police_client, scope="areas:read")
    # when
    areas = api.get("/api/v1/areas/")
    partnerships = api.get("/api/v1/partnerships/")
    # then
    assert areas.status_code == 200
    assert partnerships.status_code == 403
    assert "partnerships:read" in partnerships.json()["detail"]


def test_token_cannot_ask_for_a_scope_not_granted(police, partnership):
    # given
    from tests.api.factories import ApiClientFactory

    client = ApiClientFactory(agency=police, scopes=["areas:read"])
    # when
    response = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "scope": "partnerships:read"},
        format="multipart",
        HTTP_AUTHORIZATION=basic(client.client_id, client.secret),
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_wrong_secret_gets_no_token_and_is_audited(police_client):
    # when
    response = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic(police_client.client_id, "not-the-secret"),
    )
    # then
    assert response.status_code == 401
    assert AccessToken.objects.count() == 0
    event = AuditEvent.objects.get(action="api token")
    assert event.outcome == AuditEvent.Outcome.REFUSED
    assert event.api_client == police_client.client_id


@pytest.mark.parametrize("credentials", ["é", "northfield-police:sécret", "abc\u00a0"])
def test_basic_credentials_that_are_not_base64_ascii_are_401_not_500(police_client, credentials):
    # when: the ID and secret pasted in the header as they are, with a character beyond
    # ASCII (an accent, a non-breaking space copied from an email)
    response = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )
    # then
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert AccessToken.objects.count() == 0


def test_other_grant_types_are_refused(police_client):
    # when
    response = APIClient().post(
        TOKEN_URL,
        {"grant_type": "password", "username": "a@example.org", "password": "x"},
        format="multipart",
        HTTP_AUTHORIZATION=basic(police_client.client_id, police_client.secret),
    )
    # then
    assert response.status_code in {400, 401}
    assert AccessToken.objects.count() == 0


def test_expired_token_is_refused(police_client):
    # given
    api = api_for(police_client)
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    # when
    response = api.get("/api/v1/me/")
    # then: told the token is no good, not that no credentials were sent
    assert response.status_code == 401
    assert response.json()["detail"].startswith("The token is not valid")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_client_can_neither_use_nor_get_tokens(police_client, administrator):
    # given
    api = api_for(police_client)
    # when
    api_client_revoke(client=police_client, actor=administrator)
    # then
    assert api.get("/api/v1/me/").status_code == 401
    response = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic(police_client.client_id, police_client.secret),
    )
    assert response.status_code == 401


def test_new_secret_stops_the_old_one_and_its_tokens(police_client, administrator):
    # given
    api = api_for(police_client)
    old_secret = police_client.secret
    # when
    new_secret = api_client_secret_reset(client=police_client, actor=administrator)
    # then
    assert api.get("/api/v1/me/").status_code == 401
    police_client.secret = old_secret
    with pytest.raises(AssertionError):
        token_for(police_client)
    police_client.secret = new_secret
    assert token_for(police_client)


def test_partner_may_revoke_its_own_token(police_client):
    # given
    raw = token_for(police_client)
    # when
    response = APIClient().post(
        "/api/v1/oauth/revoke/",
        {"token": raw},
        format="multipart",
        HTTP_AUTHORIZATION=basic(police_client.client_id, police_client.secret),
    )
    # then: revoked, and in the audit trail
    assert response.status_code == 200
    assert AccessToken.objects.count() == 0
    call = AuditEvent.objects.get(action="api token revoke")
    assert call.api_client == police_client.client_id
    assert call.outcome == AuditEvent.Outcome.OK
    assert call.route == "POST /api/v1/oauth/revoke/ 200"


def test_a_refused_revocation_is_audited(police_client, fire_client):
    """Another client's credentials (or a wrong secret) are refused, and the attempt kept."""
    # given
    raw = token_for(police_client)
    # when
    response = APIClient().post(
        "/api/v1/oauth/revoke/",
        {"token": raw},
        format="multipart",
        HTTP_AUTHORIZATION=basic(fire_client.client_id, "not-the-secret"),
    )
    # then
    assert response.status_code == 401
    call = AuditEvent.objects.get(action="api token revoke")
    assert call.api_client == fire_client.client_id
    assert call.outcome == AuditEvent.Outcome.REFUSED


def test_token_in_the_query_string_is_not_accepted(police_client):
    # given
    raw = token_for(police_client)
    # when
    response = APIClient().get(f"/api/v1/me/?access_token={raw}")
    # then
    assert response.status_code == 401


def test_a_token_request_over_the_size_limit_is_413_in_oauths_shape(police_client, settings):
    # given
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    # when
    response = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "padding": "x" * 2000},
        HTTP_AUTHORIZATION=basic(police_client.client_id, police_client.secret),
    )
    # then: no token, the refusal in JSON, and the attempt audited
    assert response.status_code == 413
    assert response.json() == {
        "error": "invalid_request",
        "error_description": "The request body is too large: send at most 1,000 bytes.",
    }
    assert not AccessToken.objects.exists()
    attempt = AuditEvent.objects.get(action="api token")
    assert attempt.api_client == police_client.client_id
