"""django-oauth-toolkit's validator, bound to the API's clients: a revoked client can
neither get a token nor use one it still holds, and malformed Basic credentials are
refused rather than failing."""

import hashlib

from oauth2_provider.models import AccessToken
from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import ApiClient


class ApiOAuth2Validator(OAuth2Validator):
    def _extract_basic_auth(self, request):
        auth_string = super()._extract_basic_auth(request)
        # Base64 is ASCII: anything else (an ID and secret pasted in as they are, with an
        # accent or a non-breaking space) is not Basic credentials, so invalid_client,
        # where django-oauth-toolkit's decoding would raise a ValueError (a 500).
        if auth_string is not None and not auth_string.isascii():
            return None
        return auth_string

    def _load_application(self, client_id, request):
        application = super()._load_application(client_id, request)
        if application is None:
            return None
        if not ApiClient.objects.active().filter(application=application).exists():
            request.client = None
            return None
        return application

    def _load_access_token(self, token):
        # One query for the token, its application, the client and its agency: every
        # API call needs all four.
        checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
        # The checksum is unique: no ordering needed to pick the one row.
        found = list(
            AccessToken.objects.select_related(
                "application", "application__api_client", "application__api_client__agency"
            ).filter(token_checksum=checksum)[:1]
        )
        return found[0] if found else None
