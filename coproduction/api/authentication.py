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
