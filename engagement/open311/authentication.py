"""The `api_key` FixMyStreet sends with each posted report: an API client's ID and
secret joined by a colon (`<client id>:<client secret>`).

The secret is the one issued, shown once and stored hashed on the administrator's API
client pages; issuing a new secret or revoking the client stops the key working.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed

from coproduction.api.callers import ApiClientUser
from coproduction.api.models import ApiClient


@dataclass(frozen=True)
class ApiKeyGrant:
    """`request.auth` for a call made with an api_key: the client's granted scopes."""

    scope: str


def api_client_for_key(*, key: str) -> ApiClient | None:
    """The active client whose ID and secret make up `key`, else None."""
    client_id, _colon, secret = key.partition(":")
    # PostgreSQL refuses NUL in a query: such a key matches no client.
    if not client_id or not secret or "\x00" in key or len(key) > 500:
        return None
    client = (
        ApiClient.objects.select_related("application", "agency")
        .filter(application__client_id=client_id)
        .first()
    )
    if client is None or not client.is_active:
        return None
    if not check_password(secret, client.application.client_secret):
        return None
    return client


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        if request.method != "POST":
            return None
        key = request.data.get("api_key") if hasattr(request.data, "get") else None
        if not key:
            return None
        client = api_client_for_key(key=str(key))
        if client is None:
            raise AuthenticationFailed("The api_key is not valid (or its client was revoked).")
        return ApiClientUser(client), ApiKeyGrant(scope=" ".join(client.scopes))
