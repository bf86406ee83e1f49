from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("partner-agencies", views.PartnerAgencyViewSet, basename="partner-agency")
router.register("priority-cycles", views.PriorityCycleViewSet, basename="priority-cycle")
router.register("priorities", views.PriorityViewSet, basename="priority")
router.register("decisions", views.DecisionViewSet, basename="decision")

urlpatterns = router.urls
