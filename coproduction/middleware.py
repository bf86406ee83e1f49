"""Response headers every page and API response carries, beyond Django's own.

Django's SecurityMiddleware sets HSTS (production), X-Content-Type-Options, Referrer-Policy
and Cross-Origin-Opener-Policy; XFrameOptionsMiddleware sets X-Frame-Options; django-csp
sets the Content-Security-Policy. This adds what they do not: no copy of a signed-in page
or of an API response is kept by a browser or a proxy, and the browser features the
service never uses are switched off.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Features no page uses; the report map may ask for the person's location.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "midi=(), geolocation=(self)"
)


def response_is_private(request: HttpRequest) -> bool:
    """Whether a response may hold something about one person or one partner agency.

    Signed-in pages, every API response, and pages of a visitor whose session holds
    something (a sign-up or a report half-way through shows their answers back).
    """
    if request.path_info.startswith("/api/"):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.accessed and not session.is_empty())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response_is_private(request):
            # Replaces anything a view set (a photo's "private, max-age"): a shared or
            # public computer must not keep a copy once the person has signed out.
            del response["Cache-Control"]
            add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
