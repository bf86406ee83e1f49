from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from communities.models import Area, Asset, PopulationBaseline
from communities.selectors import asset_list_for_api
from communities.services import asset_create_by_agency
from coproduction.api.callers import api_caller
from coproduction.api.scopes import ScopeMap
from coproduction.api.selectors import area_list_for_api_caller
from coproduction.api.views import ApiGenericViewSet, ApiReadOnlyViewSet

from .filters import AreaFilterSet, AssetFilterSet, PopulationBaselineFilterSet
from .serializers import (
    AreaDetailSerializer,
    AreaSerializer,
    AssetCreateSerializer,
    AssetSerializer,
    PopulationBaselineSerializer,
)


class AreaViewSet(ApiReadOnlyViewSet):
    """The areas your agency's partnerships cover and everything beneath them: areas,
    electoral wards and LSOAs, with their GSS codes."""

    api_scopes = ScopeMap(read=("areas:read",))
    queryset = Area.objects.none()
    filterset_class = AreaFilterSet
    ordering_fields = ["name", "gss_code", "kind", "updated_at"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Area]:
        areas = area_list_for_api_caller(caller=api_caller(self.request)).select_related("parent")
        if self.action == "retrieve":
            # The boundary is the detail's alone: lists never load it.
            areas = areas.select_related("boundary")
        return areas.order_by("name", "pk")

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


class AssetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiGenericViewSet
):
    """Community assets in your partnerships' areas: places and organisations, published
    and current (never a person's skill). Add your own with `POST` (scope
    `assets:write`); the council's officers keep the register."""

    api_scopes = ScopeMap(read=("assets:read",), write=("assets:write",))
    queryset = Asset.objects.none()
    serializer_class = AssetSerializer
    filterset_class = AssetFilterSet
    ordering_fields = ["name", "updated_at"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Asset]:
        areas = area_list_for_api_caller(caller=api_caller(self.request))
        return asset_list_for_api(areas=areas).order_by("name", "pk")

    @extend_schema(request=AssetCreateSerializer, responses={201: AssetSerializer})
    def create(self, request, *args, **kwargs) -> Response:
        caller = api_caller(request)
        if not caller.is_client:
            raise PermissionDenied("Council staff add assets on the site.")
        incoming = AssetCreateSerializer(
            data=request.data, areas=area_list_for_api_caller(caller=caller)
        )
        incoming.is_valid(raise_exception=True)
        try:
            asset = asset_create_by_agency(
                api_client=caller.client.client_id, **incoming.validated_data
            )
        except DjangoValidationError as error:
            detail = (
                error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            )
            raise ValidationError(detail) from None
        self.audit_ids([asset.pk])
        return Response(
            self.get_serializer(self.get_queryset().get(pk=asset.pk)).data,
            status=status.HTTP_201_CREATED,
        )
