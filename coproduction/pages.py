"""Pages every visitor may read, and the error pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.generic import TemplateView


class AccessibilityStatementView(TemplateView):
    template_name = "pages/accessibility.html"


class PrivacyNoticeView(TemplateView):
    template_name = "pages/privacy.html"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The exception's message is never shown: it may name what the visitor may not see.
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a refused form post gets the site's own 403 page; a call to the
    partner API gets the API's error shape (`{"detail": ...}`), as every other API error
    does, so a script using a signed-in session can tell what went wrong."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {
                "detail": "CSRF check failed: a signed-in session must send the CSRF token "
                "in the X-CSRFToken header (partner agencies use their OAuth2 token)."
            },
            status=403,
        )
    return permission_denied(request)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request's context processors: they touch the session and the
    # database, either of which may be what failed.
    template = loader.get_template("500.html")
    context = {"council_name": settings.COUNCIL_NAME, "service_name": settings.SERVICE_NAME}
    return HttpResponseServerError(template.render(context))
