from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed

from .callers import ApiClientUser
from .models import ApiClient


class ApiClientAuthentication(OAuth2Authentication):
    """A partner agency's client, by the bearer token it got with client credentials.

    Only tokens issued to an API client are accepted (client credentials, so no user);
    a token whose client was revoked is refused even if it has not expired.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            if request.META.get("HTTP_AUTHORIZATION", "").lower().startswith("bearer "):
                # A bearer token was sent and is not one we know (unknown, expired or
                # revoked): say so, not that no credentials were given.
                raise AuthenticationFailed(
                    "The token is not valid: it is unknown, has expired or was revoked. "
                    "Get a new one from /api/v1/oauth/token/."
                )
            return None
        user, token = result
        application = token.application
        try:
            client = application.api_client if application is not None else None
        except ApiClient.DoesNotExist:
            client = None
        if user is not None or client is None:
            raise AuthenticationFailed("This token was not issued to a partner API client.")
        if not client.is_active:
            raise AuthenticationFailed("This client's access has been revoked.")
        return ApiClientUser(client), token
