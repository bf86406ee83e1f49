"""The partner API, version 1, mounted at /api/v1/ (namespace "api").

Each app's resources live in `<app>/api/urls.py` (a router's urlpatterns) and are found
here by themselves: an app adds resources without editing this file.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import include, path, re_path

from coproduction.api import views

app_name = "api"


def app_resource_urls() -> list:
    """`<app>/api/urls.py` of each of the project's apps that has one, in INSTALLED_APPS
    order (third-party apps are not searched)."""
    patterns = []
    for config in apps.get_app_configs():
        if not (Path(config.path) / "api" / "urls.py").is_file():
            continue
        if not Path(config.path).is_relative_to(settings.BASE_DIR / config.name.split(".")[0]):
            continue
        patterns.append(path("", include(f"{config.name}.api.urls")))
    return patterns


urlpatterns = [
    path("oauth/token/", views.TokenView.as_view(), name="token"),
    path("oauth/revoke/", views.RevokeTokenView.as_view(), name="revoke_token"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.ApiDocsView.as_view(), name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    *app_resource_urls(),
    # Anything else, newlines included, answers a JSON 404.
    re_path(r"^(?P<unmatched>[\s\S]*)$", views.api_not_found),
]
