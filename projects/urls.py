from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("new/", views.ProjectCreateView.as_view(), name="create"),
    path("projects.csv", views.ProjectCsvView.as_view(), name="export_csv"),
    path("funding/", views.LeverageView.as_view(), name="leverage"),
    path("funding/funding.csv", views.FundingCsvView.as_view(), name="funding_csv"),
    path("funding/grants-360giving.json", views.GrantsJsonView.as_view(), name="grants_json"),
    path("funding/grants-360giving.csv", views.GrantsCsvView.as_view(), name="grants_csv"),
    path("public/", views.PublicProjectListView.as_view(), name="public_list"),
    path("public/<int:pk>/", views.PublicProjectDetailView.as_view(), name="public_detail"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="update"),
    path("<int:pk>/publish/", views.ProjectPublishView.as_view(), name="publish"),
    path("<int:pk>/stage/", views.ProjectStageView.as_view(), name="stage"),
    path("<int:pk>/stage/back/", views.ProjectMoveBackView.as_view(), name="move_back"),
    path("<int:pk>/stage/stop/", views.ProjectStopView.as_view(), name="stop"),
    path("<int:pk>/sign-off/", views.GateSignoffRequestView.as_view(), name="signoff_request"),
    path("<int:pk>/evidence/add/", views.DocumentCreateView.as_view(), name="document_add"),
    path(
        "<int:pk>/evidence/<int:document>/download/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "<int:pk>/evidence/<int:document>/remove/",
        views.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path("<int:pk>/roster/add/", views.RosterAddView.as_view(), name="roster_add"),
    path("<int:pk>/roster.csv", views.RosterCsvView.as_view(), name="roster_csv"),
    path(
        "<int:pk>/roster/<int:entry>/edit/", views.RosterUpdateView.as_view(), name="roster_update"
    ),
    path(
        "<int:pk>/roster/<int:entry>/remove/",
        views.RosterRemoveView.as_view(),
        name="roster_remove",
    ),
    path("<int:pk>/funding/add/", views.FundingCreateView.as_view(), name="funding_add"),
    path(
        "<int:pk>/funding/<int:line>/edit/",
        views.FundingUpdateView.as_view(),
        name="funding_update",
    ),
    path(
        "<int:pk>/funding/<int:line>/sign-off/",
        views.FundingSignoffView.as_view(),
        name="funding_signoff",
    ),
    path(
        "<int:pk>/funding/<int:line>/commit/",
        views.FundingCommitView.as_view(),
        name="funding_commit",
    ),
    path(
        "<int:pk>/funding/<int:line>/withdraw/",
        views.FundingWithdrawView.as_view(),
        name="funding_withdraw",
    ),
    path("<int:pk>/outcomes/add/", views.IndicatorCreateView.as_view(), name="indicator_add"),
    path(
        "<int:pk>/outcomes/<int:indicator>/edit/",
        views.IndicatorUpdateView.as_view(),
        name="indicator_update",
    ),
    path(
        "<int:pk>/outcomes/<int:indicator>/readings/add/",
        views.MeasurementCreateView.as_view(),
        name="measurement_add",
    ),
    path(
        "<int:pk>/outcomes/<int:indicator>/readings/<int:measurement>/remove/",
        views.MeasurementDeleteView.as_view(),
        name="measurement_delete",
    ),
    path("<int:pk>/commissioning/", views.AssessmentView.as_view(), name="assessment"),
]
