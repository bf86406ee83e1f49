"""Creating, changing and revoking API clients (coproduction.api.services)."""

import pytest
from django.core.exceptions import ValidationError
from oauth2_provider.models import AccessToken

from coproduction.api.models import ApiClient
from coproduction.api.services import (
    api_client_create,
    api_client_revoke,
    api_client_scopes_set,
    api_client_tokens_revoke,
)
from governance.models import AuditEvent
from tests.api.factories import ApiClientFactory
from tests.api.fixtures import token_for

pytestmark = pytest.mark.django_db


def test_create_returns_the_secret_once_and_audits(police, administrator):
    # when
    client, secret = api_client_create(
        agency=police, scopes=["areas:read"], created_by=administrator
    )
    # then
    assert len(secret) >= 40
    assert client.application.client_secret != secret
    assert client.application.authorization_grant_type == "client-credentials"
    assert client.application.user is None
    event = AuditEvent.objects.get(action="api client create")
    assert event.actor == administrator
    assert event.object_id == str(client.pk)
    assert secret not in str(event.fields)


def test_one_active_client_per_agency(police, administrator):
    # given
    ApiClientFactory(agency=police)
    # when / then
    with pytest.raises(ValidationError) as error:
        api_client_create(agency=police, scopes=["areas:read"], created_by=administrator)
    assert "agency" in error.value.message_dict
    assert ApiClient.objects.count() == 1


def test_a_revoked_clients_agency_may_have_a_new_one(police, administrator):
    # given
    old = ApiClientFactory(agency=police)
    api_client_revoke(client=old, actor=administrator)
    # when
    new, _secret = api_client_create(
        agency=police, scopes=["areas:read"], created_by=administrator
    )
    # then
    assert new.is_active
    assert ApiClient.objects.active().get() == new


@pytest.mark.parametrize("scopes", [[], ["areas:write-everything"], ["nope"]])
def test_unknown_or_no_scopes_are_refused(police, administrator, scopes):
    with pytest.raises(ValidationError):
        api_client_create(agency=police, scopes=scopes, created_by=administrator)
    assert ApiClient.objects.count() == 0


def test_changing_scopes_revokes_tokens(police_client, administrator):
    # given
    token_for(police_client)
    # when
    api_client_scopes_set(client=police_client, scopes=["areas:read"], actor=administrator)
    # then
    police_client.refresh_from_db()
    assert police_client.scopes == ["areas:read"]
    assert AccessToken.objects.count() == 0


def test_revoking_tokens_counts_them(police_client, administrator):
    # given
    token_for(police_client)
    token_for(police_client)
    # when
    count = api_client_tokens_revoke(client=police_client, actor=administrator)
    # then
    assert count == 2
    assert AccessToken.objects.count() == 0


def test_revoking_twice_changes_nothing(police_client, administrator, officer):
    # given
    api_client_revoke(client=police_client, actor=administrator)
    # when
    api_client_revoke(client=police_client, actor=officer)
    # then
    police_client.refresh_from_db()
    assert police_client.revoked_by == administrator
    assert AuditEvent.objects.filter(action="api client revoke").count() == 1
