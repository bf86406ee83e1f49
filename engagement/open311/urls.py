from django.urls import re_path

from . import views

app_name = "open311"

urlpatterns = [
    re_path(r"^services\.(?P<format>json|xml)$", views.ServiceListView.as_view(), name="services"),
    re_path(
        r"^requests\.(?P<format>json|xml)$",
        views.ServiceRequestListView.as_view(),
        name="requests",
    ),
    re_path(
        r"^requests/(?P<pk>[0-9]{1,18})\.(?P<format>json|xml)$",
        views.ServiceRequestDetailView.as_view(),
        name="request",
    ),
    re_path(r"^.*\.(?P<format>json|xml)$", views.GeoReportNotFoundView.as_view()),
    re_path(r"^", views.GeoReportNotFoundView.as_view()),
]
