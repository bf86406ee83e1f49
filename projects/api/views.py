from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from coproduction.api.callers import api_caller
from coproduction.api.scopes import ScopeMap
from coproduction.api.selectors import area_list_for_api_caller
from coproduction.api.views import ApiGenericViewSet, ApiReadOnlyViewSet
from projects import selectors, services
from projects.models import Indicator, Measurement, Project

from .filters import IndicatorFilterSet, MeasurementFilterSet, ProjectFilterSet
from .serializers import (
    IndicatorSerializer,
    MeasurementCreateSerializer,
    MeasurementSerializer,
    ProjectSerializer,
)


def project_list_for_request(request) -> QuerySet[Project]:
    """The projects the caller may see, never more (the one scoping point)."""
    caller = api_caller(request)
    if not caller.is_authenticated:
        return Project.objects.none()
    if caller.is_client:
        return selectors.project_list_for_api(
            areas=area_list_for_api_caller(caller=caller), agency=caller.agency
        )
    return selectors.project_list_for_api(areas=None, user=caller.user)


class ProjectViewSet(ApiReadOnlyViewSet):
    """Co-production projects in your partnerships' areas and those your agency is a
    partner on: stage, areas, partner agencies, how many people hold each roster role
    (never who), committed funding by source, and outcome indicators with their readings.
    The council's lead officer's contact details go only to an agency with a named
    partner lead on the project."""

    api_scopes = ScopeMap(read=("projects:read",))
    queryset = Project.objects.none()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ["reference", "title", "stage", "planned_start", "updated_at"]
    ordering = ["reference", "id"]

    def get_queryset(self) -> QuerySet[Project]:
        return project_list_for_request(self.request).order_by("reference", "pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            selectors.project_figures_attach(projects=page, agency=api_caller(self.request).agency)
        return page

    def get_object(self) -> Project:
        project = super().get_object()
        selectors.project_figures_attach(
            projects=[project], agency=api_caller(self.request).agency
        )
        return project


class IndicatorViewSet(ApiReadOnlyViewSet):
    """Outcome, service demand and cost indicators of the projects you may see, with their
    baseline, target and readings. The agency named in `reported_by` posts the readings
    (`POST /indicators/{id}/measurements/`, scope `outcomes:write`)."""

    api_scopes = ScopeMap(read=("projects:read",), write=("outcomes:write",))
    queryset = Indicator.objects.none()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    ordering_fields = ["name", "project", "updated_at"]
    ordering = ["project", "name", "id"]

    def get_queryset(self) -> QuerySet[Indicator]:
        projects = project_list_for_request(self.request)
        return selectors.indicator_list_for_api(projects=projects).order_by(
            "project", "name", "pk"
        )


class MeasurementViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, ApiGenericViewSet):
    """An indicator's readings, oldest first. The agency that reports the indicator
    (`reported_by`) posts a new reading with scope `outcomes:write`: one per date, a
    second for the same date is a 409 (readings are not replaced through the API)."""

    api_scopes = ScopeMap(read=("projects:read",), write=("outcomes:write",))
    queryset = Measurement.objects.none()
    serializer_class = MeasurementSerializer
    filterset_class = MeasurementFilterSet
    ordering_fields = ["measured_on"]
    ordering = ["measured_on", "id"]

    def get_indicator(self) -> Indicator:
        """The indicator through the scoped queryset: a 404 outside it."""
        if not hasattr(self, "_indicator"):
            projects = project_list_for_request(self.request)
            indicator = (
                Indicator.objects.filter(project__in=projects.order_by().values("pk"))
                .select_related("project", "reported_by")
                .filter(pk=self.kwargs["indicator_pk"])
                .first()
            )
            if indicator is None:
                raise NotFound("No such indicator among those your agency may see.")
            self._indicator = indicator
        return self._indicator

    def get_queryset(self) -> QuerySet[Measurement]:
        if getattr(self, "swagger_fake_view", False):
            return Measurement.objects.none()
        return Measurement.objects.filter(indicator=self.get_indicator()).order_by(
            "measured_on", "pk"
        )

    @extend_schema(
        request=MeasurementCreateSerializer,
        responses={
            201: MeasurementSerializer,
            409: OpenApiResponse(
                description="There is already a reading for that date (`detail` says so), "
                "or a request with this Idempotency-Key is still running."
            ),
        },
    )
    def create(self, request, *args, **kwargs) -> Response:
        indicator = self.get_indicator()
        incoming = MeasurementCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        caller = api_caller(request)
        try:
            if caller.is_client:
                measurement = services.measurement_record_by_agency(
                    indicator=indicator,
                    agency=caller.agency,
                    api_client=caller.client.client_id,
                    **data,
                )
            else:
                measurement = services.measurement_record(
                    indicator=indicator, recorded_by=caller.user, **data
                )
        except services.MeasurementExistsError as error:
            return Response(
                {
                    "detail": f"{error.message_dict['measured_on'][0]} Readings are not "
                    "replaced through the API: ask the project's officer to remove the "
                    "wrong one first."
                },
                status=status.HTTP_409_CONFLICT,
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        self.audit_ids([measurement.pk])
        return Response(MeasurementSerializer(measurement).data, status=status.HTTP_201_CREATED)
