"""The partner API, version 1, mounted at /api/v1/ (namespace "api").

Each app's resources live in `<app>/api/urls.py` (a router's urlpatterns); add the app
here when its resources land.
"""

from django.urls import include, path, re_path

from coproduction.api import views

app_name = "api"

urlpatterns = [
    path("oauth/token/", views.TokenView.as_view(), name="token"),
    path("oauth/revoke/", views.RevokeTokenView.as_view(), name="revoke_token"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(), name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    path("", include("communities.api.urls")),
    path("", include("governance.api.urls")),
    # Anything else, newlines included, answers a JSON 404.
    re_path(r"^(?P<unmatched>[\s\S]*)$", views.api_not_found),
]
