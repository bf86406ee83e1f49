from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from coproduction.api.callers import api_caller
from coproduction.api.scopes import ScopeMap
from coproduction.api.selectors import (
    area_list_for_api_caller,
    partnership_list_for_api_caller,
)
from coproduction.api.views import ApiGenericViewSet
from engagement import selectors, services
from engagement.models import Event

from .filters import EventFilterSet
from .serializers import EventCreateSerializer, EventSerializer, HeadcountSerializer

CLIENTS_ONLY = (
    "Events are added through the API by partner agencies' clients; council staff add "
    "them on the site."
)


class EventViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ApiGenericViewSet
):
    """Events in your partnerships' areas and those your agency organises: when, where,
    what kind, the capacity and how many registered and came (never who). Your agency
    adds its own events (`POST`, scope `events:write`) and reports how many came
    (`POST /events/{id}/headcount/`)."""

    api_scopes = ScopeMap(read=("events:read",), write=("events:write",))
    queryset = Event.objects.none()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    ordering_fields = ["starts_at", "title", "updated_at"]
    ordering = ["-starts_at", "-id"]

    def get_queryset(self) -> QuerySet[Event]:
        caller = api_caller(self.request)
        return selectors.event_list_for_api(
            areas=area_list_for_api_caller(caller=caller),
            agency=caller.agency if caller.is_client else None,
        ).order_by("-starts_at", "-pk")

    def _client(self):
        caller = api_caller(self.request)
        if not caller.is_client:
            raise PermissionDenied(CLIENTS_ONLY)
        return caller

    @extend_schema(request=EventCreateSerializer, responses={201: EventSerializer})
    def create(self, request, *args, **kwargs) -> Response:
        caller = self._client()
        incoming = EventCreateSerializer(
            data=request.data,
            areas=area_list_for_api_caller(caller=caller),
            partnerships=partnership_list_for_api_caller(caller=caller),
        )
        incoming.is_valid(raise_exception=True)
        try:
            event = services.event_create_by_agency(
                agency=caller.agency,
                api_client=caller.client.client_id,
                data=incoming.validated_data,
            )
        except services.EngagementError as error:
            raise ValidationError({"detail": str(error)}) from None
        self.audit_ids([event.pk])
        event = self.get_queryset().get(pk=event.pk)
        return Response(self.get_serializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HeadcountSerializer, responses={200: EventSerializer})
    @action(detail=True, methods=["post"], url_path="headcount")
    def headcount(self, request, pk=None) -> Response:
        """How many came to an event your agency organises (a count, no names). Posting
        again corrects it."""
        event = self.get_object()
        caller = self._client()
        incoming = HeadcountSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            services.event_headcount_report(
                event=event,
                agency=caller.agency,
                api_client=caller.client.client_id,
                headcount=incoming.validated_data["headcount"],
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        except services.EngagementError as error:
            raise ValidationError({"detail": str(error)}) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=event.pk)).data)
