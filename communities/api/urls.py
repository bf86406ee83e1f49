from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("areas", views.AreaViewSet, basename="area")
router.register("population-baselines", views.PopulationBaselineViewSet, basename="baseline")

urlpatterns = router.urls
