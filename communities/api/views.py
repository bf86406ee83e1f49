from django.db.models import QuerySet

from communities.models import Area, PopulationBaseline
from coproduction.api.callers import api_caller
from coproduction.api.scopes import ScopeMap
from coproduction.api.selectors import area_list_for_api_caller
from coproduction.api.views import ApiReadOnlyViewSet

from .filters import AreaFilterSet, PopulationBaselineFilterSet
from .serializers import AreaDetailSerializer, AreaSerializer, PopulationBaselineSerializer


class AreaViewSet(ApiReadOnlyViewSet):
    """The areas your agency's partnerships cover and everything beneath them: areas,
    electoral wards and LSOAs, with their GSS codes."""

    api_scopes = ScopeMap(read=("areas:read",))
    queryset = Area.objects.none()
    filterset_class = AreaFilterSet
    ordering_fields = ["name", "gss_code", "kind", "updated_at"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Area]:
        return (
            area_list_for_api_caller(caller=api_caller(self.request))
            .select_related("parent")
            .order_by("name", "pk")
        )

    def get_serializer_class(self):
        return AreaDetailSerializer if self.action == "retrieve" else AreaSerializer


class PopulationBaselineViewSet(ApiReadOnlyViewSet):
    """Census 2021 counts as ONS published them, for the areas you may see: one row per
    area, dimension and category (`communities.census` codes)."""

    api_scopes = ScopeMap(read=("areas:read",))
    queryset = PopulationBaseline.objects.none()
    serializer_class = PopulationBaselineSerializer
    filterset_class = PopulationBaselineFilterSet
    ordering_fields = ["area", "dimension", "category", "count"]
    ordering = ["area", "dimension", "category", "id"]

    def get_queryset(self) -> QuerySet[PopulationBaseline]:
        areas = area_list_for_api_caller(caller=api_caller(self.request))
        return (
            PopulationBaseline.objects.filter(area__in=areas.values("pk"))
            .select_related("area", "table")
            .order_by("area", "dimension", "category", "pk")
        )
