"""The reports resource, for the API frame's router (`coproduction/api_urls.py`):

path("", include("engagement.inclusion.api.urls")),   # /api/v1/reports/
"""

from rest_framework.routers import SimpleRouter

from .views import ReportViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="inclusion-report")

urlpatterns = router.urls
