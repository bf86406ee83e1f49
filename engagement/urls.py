from django.urls import path, re_path

from . import views
from .volunteering import views as volunteering

app_name = "engagement"

urlpatterns = [
    # Street champions: public sign-up
    path("street-champions/", views.ChampionStartView.as_view(), name="champion_start"),
    path(
        "street-champions/sign-up/check/", views.ChampionCheckView.as_view(), name="champion_check"
    ),
    path("street-champions/sign-up/done/", views.ChampionDoneView.as_view(), name="champion_done"),
    path(
        "street-champions/sign-up/<slug:step>/",
        views.ChampionStepView.as_view(),
        name="champion_step",
    ),
    path(
        "street-champions/confirm/<str:token>/",
        views.ChampionConfirmView.as_view(),
        name="champion_confirm",
    ),
    # Issue reports: public
    path("report/", views.ReportStartView.as_view(), name="report_start"),
    path("report/details/", views.ReportDetailsView.as_view(), name="report_details"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path(
        "reports/<int:pk>/photos/<int:photo_pk>/",
        views.ReportPhotoView.as_view(),
        name="report_photo",
    ),
    # Events: public
    path("events/", views.EventPublicListView.as_view(), name="event_list_public"),
    path("events/<int:pk>/", views.EventPublicDetailView.as_view(), name="event_detail_public"),
    path("events/<int:pk>/register/", views.EventRegisterView.as_view(), name="event_register"),
    path(
        "events/<int:pk>/registered/", views.EventRegisteredView.as_view(), name="event_registered"
    ),
    path(
        "events/<int:pk>/give-up-place/",
        views.EventGiveUpPlaceView.as_view(),
        name="event_give_up_place",
    ),
    path("events/<int:pk>/check-in/", views.EventCheckInView.as_view(), name="event_check_in"),
    path("events/<int:pk>/feedback/", views.EventFeedbackView.as_view(), name="event_feedback"),
    # Residents' own pages
    path("my/", views.MyPageView.as_view(), name="my_page"),
    path("my/details/", views.MyDetailsEditView.as_view(), name="my_details_edit"),
    path("my/equality/", views.MyEqualityView.as_view(), name="my_equality"),
    path(
        "my/equality/withdraw/",
        views.MyEqualityWithdrawView.as_view(),
        name="my_equality_withdraw",
    ),
    re_path(
        r"^my/data\.(?P<fmt>json|csv)$",
        views.MyDataDownloadView.as_view(),
        name="my_data_download",
    ),
    path("my/delete/", views.MyDeleteView.as_view(), name="my_delete"),
    # Staff
    path("staff/champions/", views.ChampionListView.as_view(), name="champion_list"),
    path(
        "staff/champions/newsletter.csv",
        views.ChampionNewsletterCsvView.as_view(),
        name="champion_newsletter_csv",
    ),
    path("staff/champions/<int:pk>/", views.ChampionDetailView.as_view(), name="champion_detail"),
    path("staff/reports/", views.ReportQueueView.as_view(), name="report_queue"),
    path("staff/reports/reports.csv", views.ReportQueueCsvView.as_view(), name="report_queue_csv"),
    path("staff/reports/bulk/", views.ReportBulkView.as_view(), name="report_bulk"),
    path("staff/reports/figures/", views.ReportStatsView.as_view(), name="report_stats"),
    path("staff/reports/by-ward.csv", views.ReportWardCsvView.as_view(), name="report_ward_csv"),
    path("staff/reports/<int:pk>/", views.ReportManageView.as_view(), name="report_manage"),
    path("staff/events/", views.EventListView.as_view(), name="event_list"),
    path("staff/events/new/", views.EventCreateView.as_view(), name="event_create"),
    path("staff/events/<int:pk>/", views.EventAttendanceView.as_view(), name="event_attendance"),
    path("staff/events/<int:pk>/edit/", views.EventEditView.as_view(), name="event_edit"),
    path("staff/import/", views.ParticipationImportView.as_view(), name="participation_import"),
    path("staff/people/", views.ParticipantListView.as_view(), name="participant_list"),
    path(
        "staff/people/<int:pk>/", views.ParticipantDetailView.as_view(), name="participant_detail"
    ),
    path(
        "staff/people/<int:pk>/edit/", views.ParticipantEditView.as_view(), name="participant_edit"
    ),
    re_path(
        r"^staff/people/(?P<pk>[0-9]+)/data\.(?P<fmt>json|csv)$",
        views.ParticipantDownloadView.as_view(),
        name="participant_download",
    ),
    path(
        "staff/people/<int:pk>/erase/",
        views.ParticipantEraseView.as_view(),
        name="participant_erase",
    ),
    path("staff/summary/", views.AreaSummaryView.as_view(), name="area_summary"),
    # Volunteering: public
    path("volunteering/jobs/", volunteering.VolunteerJobsView.as_view(), name="volunteer_jobs"),
    # Volunteering: a volunteer's and group lead's own pages
    path("my/volunteering/", volunteering.MyVolunteeringView.as_view(), name="my_volunteering"),
    path(
        "my/volunteering/disclaimer/",
        volunteering.MyDisclaimerView.as_view(),
        name="my_disclaimer",
    ),
    path(
        "my/volunteering/reports/new/",
        volunteering.ActivityReportCreateView.as_view(),
        name="activity_report_create",
    ),
    path(
        "volunteering/reports/<int:pk>/photos/<int:photo_pk>/",
        volunteering.ActivityReportPhotoView.as_view(),
        name="activity_report_photo",
    ),
    path(
        "volunteering/activities/<int:pk>/incident/",
        volunteering.IncidentReportView.as_view(),
        name="incident_report",
    ),
    # Volunteering: risk assessments (officers, and group leads for their own)
    path(
        "volunteering/assessments/",
        volunteering.AssessmentListView.as_view(),
        name="assessment_list",
    ),
    path(
        "volunteering/assessments/new/",
        volunteering.AssessmentCreateView.as_view(),
        name="assessment_create",
    ),
    path(
        "volunteering/assessments/<int:pk>/",
        volunteering.AssessmentDetailView.as_view(),
        name="assessment_detail",
    ),
    path(
        "volunteering/assessments/<int:pk>/edit/",
        volunteering.AssessmentEditView.as_view(),
        name="assessment_edit",
    ),
    # Volunteering: officers
    path(
        "staff/volunteering/",
        volunteering.DashboardView.as_view(),
        name="volunteering_dashboard",
    ),
    path("staff/volunteering/tasks/", volunteering.TaskListView.as_view(), name="task_list"),
    path(
        "staff/volunteering/tasks/new/",
        volunteering.TaskCreateView.as_view(),
        name="task_create",
    ),
    path(
        "staff/volunteering/tasks/<int:pk>/edit/",
        volunteering.TaskEditView.as_view(),
        name="task_edit",
    ),
    path(
        "staff/volunteering/volunteers/",
        volunteering.VolunteerListView.as_view(),
        name="volunteer_list",
    ),
    path(
        "staff/people/<int:pk>/volunteering/",
        volunteering.VolunteerDetailView.as_view(),
        name="volunteer_detail",
    ),
    path(
        "staff/volunteering/activities/",
        volunteering.ActivityListView.as_view(),
        name="activity_list",
    ),
    path(
        "staff/volunteering/activities/new/",
        volunteering.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    path(
        "staff/volunteering/activities/<int:pk>/",
        volunteering.ActivityDetailView.as_view(),
        name="activity_detail",
    ),
    path(
        "staff/volunteering/activities/<int:pk>/edit/",
        volunteering.ActivityEditView.as_view(),
        name="activity_edit",
    ),
    path(
        "staff/volunteering/toolkits/",
        volunteering.ToolkitListView.as_view(),
        name="toolkit_list",
    ),
    path(
        "staff/volunteering/toolkits/new/",
        volunteering.ToolkitCreateView.as_view(),
        name="toolkit_create",
    ),
    path(
        "staff/volunteering/toolkits/<int:pk>/",
        volunteering.ToolkitDetailView.as_view(),
        name="toolkit_detail",
    ),
    path(
        "staff/volunteering/toolkits/<int:pk>/edit/",
        volunteering.ToolkitEditView.as_view(),
        name="toolkit_edit",
    ),
    path(
        "staff/volunteering/toolkits/<int:pk>/lend/",
        volunteering.ToolkitLendView.as_view(),
        name="toolkit_lend",
    ),
    path(
        "staff/volunteering/loans/<int:pk>/return/",
        volunteering.LoanReturnView.as_view(),
        name="loan_return",
    ),
    path(
        "staff/volunteering/reports/",
        volunteering.ActivityReportListView.as_view(),
        name="activity_report_list",
    ),
    path(
        "staff/volunteering/reports/<int:pk>/",
        volunteering.ActivityReportDetailView.as_view(),
        name="activity_report_detail",
    ),
    path(
        "staff/volunteering/incidents/",
        volunteering.IncidentListView.as_view(),
        name="incident_list",
    ),
    path(
        "staff/volunteering/incidents/<int:pk>/",
        volunteering.IncidentDetailView.as_view(),
        name="incident_detail",
    ),
]
