from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register(
    r"indicators/(?P<indicator_pk>[0-9]+)/measurements",
    views.MeasurementViewSet,
    basename="measurement",
)

urlpatterns = router.urls
