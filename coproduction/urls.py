from django.contrib import admin
from django.urls import include, path

from . import health, pages

admin.site.site_header = "Coproduce administration"
admin.site.site_title = "Coproduce administration"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("accessibility/", pages.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", pages.PrivacyNoticeView.as_view(), name="privacy"),
    path("healthz", health.healthz, name="healthz"),
    path("", include("coproduction.accounts.urls")),
    path("jobs/", include("coproduction.jobs.urls")),
    path("communities/", include("communities.urls")),
    path("projects/", include("projects.urls")),
    path("", include("engagement.urls")),
    path("governance/", include("governance.urls")),
    path("api/v1/", include("coproduction.api_urls")),
    path("api-clients/", include("coproduction.api.urls")),
    # Open311 GeoReport v2 (FixMyStreet): its own specification, beside the partner API.
    path("open311/v2/", include("engagement.open311.urls")),
    path("reports/", include("engagement.inclusion.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "coproduction.pages.bad_request"
handler403 = "coproduction.pages.permission_denied"
handler404 = "coproduction.pages.page_not_found"
handler500 = "coproduction.pages.server_error"
