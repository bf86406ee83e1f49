from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.PartnershipListView.as_view(), name="partnership_list"),
    path(
        "partnerships/<int:pk>/", views.PartnershipDetailView.as_view(), name="partnership_detail"
    ),
    path("partnerships/<int:pk>/board/", views.BoardEditView.as_view(), name="board_edit"),
    path(
        "partnerships/<int:pk>/board/members/add/",
        views.MembershipAddView.as_view(),
        name="membership_add",
    ),
    path("memberships/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership_end"),
    path(
        "partnerships/<int:pk>/calls/add/", views.SeatCallCreateView.as_view(), name="call_create"
    ),
    path("calls/<int:pk>/", views.SeatCallDetailView.as_view(), name="call_detail"),
    path(
        "calls/<int:pk>/applications/add/",
        views.SeatApplicationAddView.as_view(),
        name="application_add",
    ),
    path("calls/<int:pk>/quotas/add/", views.SeatQuotaAddView.as_view(), name="quota_add"),
    path("calls/<int:pk>/draw/", views.LotteryDrawView.as_view(), name="draw"),
    path("draws/<int:pk>/", views.LotteryDrawDetailView.as_view(), name="draw_detail"),
    path("draws/<int:pk>/appoint/", views.LotteryAppointView.as_view(), name="draw_appoint"),
    path(
        "partnerships/<int:pk>/cycles/add/",
        views.PriorityCycleCreateView.as_view(),
        name="cycle_create",
    ),
    path("cycles/<int:pk>/", views.PriorityCycleDetailView.as_view(), name="cycle_detail"),
    path(
        "cycles/<int:pk>/advance/", views.PriorityCycleAdvanceView.as_view(), name="cycle_advance"
    ),
    path(
        "cycles/<int:pk>/adopt-forum-result/",
        views.PriorityCycleAdoptForumResultView.as_view(),
        name="cycle_adopt_forum_result",
    ),
    path("cycles/<int:pk>/propose/", views.PriorityProposeView.as_view(), name="priority_propose"),
    path("cycles/<int:pk>/vote/", views.BallotView.as_view(), name="cycle_vote"),
    path("cycles/<int:pk>/paper-ballot/", views.PaperBallotView.as_view(), name="paper_ballot"),
    path("cycles/<int:pk>/review/", views.ReviewView.as_view(), name="cycle_review"),
    path("have-your-say/", views.OpenCycleListView.as_view(), name="cycle_open_list"),
    path("priorities/<int:pk>/", views.PriorityDetailView.as_view(), name="priority_detail"),
    path(
        "priorities/<int:pk>/task-group/add/",
        views.TaskGroupMemberAddView.as_view(),
        name="task_group_add",
    ),
    path(
        "priorities/<int:pk>/projects/",
        views.PriorityProjectsView.as_view(),
        name="priority_projects",
    ),
    path(
        "partnerships/<int:pk>/meetings/add/",
        views.MeetingCreateView.as_view(),
        name="meeting_create",
    ),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/items/add/", views.AgendaItemAddView.as_view(), name="item_add"),
    path(
        "meetings/<int:pk>/attendance/",
        views.MemberAttendanceView.as_view(),
        name="member_attendance",
    ),
    path(
        "meetings/<int:pk>/residents/",
        views.ForumAttendanceView.as_view(),
        name="forum_attendance",
    ),
    path("items/<int:pk>/paper/", views.AgendaPaperView.as_view(), name="agenda_paper"),
    path("items/<int:pk>/declare/", views.InterestDeclareView.as_view(), name="interest_declare"),
    path("items/<int:pk>/decide/", views.DecisionRecordView.as_view(), name="decision_record"),
    path("meetings/<int:pk>/minutes/", views.MinutesEditView.as_view(), name="minutes_edit"),
    path(
        "meetings/<int:pk>/minutes/publish/",
        views.MinutesPublishView.as_view(),
        name="minutes_publish",
    ),
    path("minutes/", views.PublishedMinutesListView.as_view(), name="minutes_list"),
    path("minutes/<int:pk>/", views.PublishedMinutesView.as_view(), name="minutes_public"),
    path("councillor/", views.CouncillorView.as_view(), name="councillor"),
    path("sign-offs/<int:pk>/", views.SignOffDecideView.as_view(), name="signoff_decide"),
    path(
        "partnerships/<int:pk>/awards/add/",
        views.BudgetAwardCreateView.as_view(),
        name="award_create",
    ),
    path(
        "partnerships/<int:pk>/cabinet-update/",
        views.CabinetUpdateView.as_view(),
        name="cabinet_update",
    ),
    path(
        "partnerships/<int:pk>/cabinet-update.pdf",
        views.CabinetUpdatePdfView.as_view(),
        name="cabinet_update_pdf",
    ),
    path("board/", views.BoardMemberView.as_view(), name="board_member"),
    path("audit/", views.AuditTrailView.as_view(), name="audit_list"),
]
