"""The home page, pages every visitor may read, and the error pages."""

import rules
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.generic import TemplateView

from coproduction.accounts.roles import Role

RECENT_REPORTS = 5


class HomeView(TemplateView):
    """Visitors: what the service is for and what a resident can do without an account.
    Signed in: each of the person's roles with its next actions, counted."""

    def get_template_names(self) -> list[str]:
        if self.request.user.is_authenticated:
            return ["pages/home.html"]
        return ["pages/landing.html"]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not user.is_authenticated:
            return context
        from engagement.selectors import participant_for_user, report_list_for_participant

        from .accounts import selectors as accounts
        from .api.models import ApiClient
        from .api.selectors import area_list_of_agency_partnerships
        from .dashboard import dashboard_for_user

        roles = user.roles
        context["roles"] = roles
        context["Role"] = Role
        context["sections"] = dashboard_for_user(user=user)
        # Read by the template only for the role whose areas it shows.
        context["assigned_areas"] = accounts.area_list_assigned(user=user)
        # The rule alone: the model backend's has_perm would load every permission first.
        context["can_view_area_people"] = rules.has_perm("accounts.view_area_people", user)
        if context["can_view_area_people"]:
            areas = accounts.area_list_for_user(user=user)
            context["officers"] = list(accounts.officer_list_covering(areas=areas))
            context["role_counts"] = accounts.role_counts_in_areas(
                areas=areas, officers=context["officers"]
            )
        if Role.RESIDENT in roles or Role.BOARD_MEMBER in roles:
            context["councillors"] = list(accounts.councillor_list_for_user(user=user))
        if Role.PARTNER_AGENCY in roles and user.partner_agency_id:
            context["agency"] = user.partner_agency
            # Where the agency works: its partnerships' areas, as its API clients see.
            context["agency_areas"] = accounts.area_list_with_ward_counts(
                areas=area_list_of_agency_partnerships(agency=user.partner_agency_id)
            )
            context["agency_colleagues"] = list(
                user.partner_agency.users.filter(is_active=True).exclude(pk=user.pk)
            )
            # Shown here: the API clients' pages are the administrator's.
            context["agency_api_clients"] = list(
                ApiClient.objects.active()
                .filter(agency_id=user.partner_agency_id)
                .select_related("application")
                .order_by("pk")
            )
        if Role.RESIDENT in roles:
            participant = participant_for_user(user=user)
            context["participant"] = participant
            if participant is not None:
                context["recent_reports"] = list(
                    report_list_for_participant(participant=participant)[:RECENT_REPORTS]
                )
        return context


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
