from django.urls import path

from . import views

app_name = "inclusion"

# Reports live under /reports/inclusion/<pk>/: the engagement app's public issue report
# pages hold /reports/<pk>/ (mounted earlier, at the site's root).
urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("new/", views.ReportRequestView.as_view(), name="report_request"),
    path("schema.json", views.ReportSchemaView.as_view(), name="report_schema"),
    path("inclusion/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("inclusion/<int:pk>/status.json", views.ReportStatusView.as_view(), name="report_status"),
    path("inclusion/<int:pk>/report.csv", views.ReportCsvView.as_view(), name="report_csv"),
    path("inclusion/<int:pk>/report.json", views.ReportJsonView.as_view(), name="report_json"),
    path("inclusion/<int:pk>/publish/", views.ReportPublishView.as_view(), name="report_publish"),
    path("inclusion/<int:pk>/retry/", views.ReportRetryView.as_view(), name="report_retry"),
    path("targets/", views.TargetListView.as_view(), name="target_list"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target_create"),
    path("targets/<int:pk>/", views.TargetEditView.as_view(), name="target_edit"),
    path("targets/<int:pk>/delete/", views.TargetDeleteView.as_view(), name="target_delete"),
    path("published/", views.PublicReportListView.as_view(), name="public_list"),
    path("published/<int:pk>/", views.PublicReportDetailView.as_view(), name="public_detail"),
    path("published/<int:pk>/report.csv", views.PublicReportCsvView.as_view(), name="public_csv"),
]
