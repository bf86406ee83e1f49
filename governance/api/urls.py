from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("partner-agencies", views.PartnerAgencyViewSet, basename="partner-agency")

urlpatterns = router.urls
