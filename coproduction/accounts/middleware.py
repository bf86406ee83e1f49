"""Session limits and the second factor, enforced on every request.

SessionExpiryMiddleware ends a session after SESSION_IDLE_TIMEOUT seconds without a
request, and SESSION_COOKIE_AGE seconds after signing in whatever the activity.
TwoFactorMiddleware sends a signed-in person who must use a second factor (or who chose
to) to enter a code before any page but the few that lead there; API calls get 403.
"""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import session_is_verified, two_factor_enabled, two_factor_required

SIGNED_IN_AT = "accounts.signed_in_at"
# Whether the person had an authenticator app when they signed in: read from the session
# so that no page view costs a query to find out.
HAD_SECOND_FACTOR = "accounts.had_second_factor"
LAST_SEEN_AT = "accounts.last_seen_at"
# The last-seen time is written at most this often, so that a page view does not
# always cost a write of the session.
LAST_SEEN_RESOLUTION_SECONDS = 60

# Pages a person who has not yet entered their code may open.
UNVERIFIED_ALLOWED = {
    "accounts:logout",
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "privacy",
    "accessibility",
    "healthz",
}


@receiver(user_logged_in)
def session_start(sender, request, user, **kwargs) -> None:
    """Stamp a new session with when it started, and whether a code will be asked for."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    request.session[HAD_SECOND_FACTOR] = two_factor_enabled(user)


class SessionExpiryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in_at = session.get(SIGNED_IN_AT, 0)
            last_seen_at = session.get(LAST_SEEN_AT, 0)
            if now - signed_in_at > settings.SESSION_COOKIE_AGE:
                return self.end(request, "Your session has ended: please sign in again.")
            if now - last_seen_at > settings.SESSION_IDLE_TIMEOUT:
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                return self.end(
                    request,
                    f"You were signed out because you had not done anything for {minutes} "
                    "minutes. Sign in again to carry on.",
                )
            if now - last_seen_at > LAST_SEEN_RESOLUTION_SECONDS:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)

    def end(self, request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401)
        messages.info(request, message)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:login')}?{query}")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or session_is_verified(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in UNVERIFIED_ALLOWED:
            return None
        if not request.session.get(HAD_SECOND_FACTOR) and not two_factor_required(user):
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": "Enter the code from your authenticator app to use the API."},
                status=403,
            )
        enabled = two_factor_enabled(user)
        target = "accounts:two_factor_verify" if enabled else "accounts:two_factor_setup"
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(target)}?{query}")
