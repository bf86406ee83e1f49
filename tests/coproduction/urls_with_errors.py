"""The site's URLs plus views that fail, to see the error pages as a visitor would."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from coproduction.urls import handler400, handler403, handler404, handler500, urlpatterns


def fail_with_secret(request):
    raise RuntimeError("database password is hunter2")


def deny(request):
    raise PermissionDenied("project 42 belongs to another council")


def suspicious(request):
    raise SuspiciousOperation("tampered")


urlpatterns = [
    *urlpatterns,
    path("boom/500/", fail_with_secret),
    path("boom/403/", deny),
    path("boom/400/", suspicious),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
