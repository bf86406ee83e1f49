from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("areas", views.AreaViewSet, basename="area")
router.register("population-baselines", views.PopulationBaselineViewSet, basename="baseline")
router.register("assets", views.AssetViewSet, basename="asset")

urlpatterns = router.urls
