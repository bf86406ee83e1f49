from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("events", views.EventViewSet, basename="event")
router.register(
    "volunteer-activities", views.VolunteerActivityViewSet, basename="volunteer-activity"
)
router.register("issue-reports", views.IssueReportViewSet, basename="issue-report")

urlpatterns = router.urls
