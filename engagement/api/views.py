from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q, QuerySet
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
from engagement.models import Event, IssueReport, VolunteerActivity
from engagement.volunteering import selectors as volunteering_selectors
from engagement.volunteering import services as volunteering_services
from engagement.volunteering.gate import GateRefusedError

from .filters import EventFilterSet, IssueReportFilterSet
from .serializers import (
    EventCreateSerializer,
    EventSerializer,
    HeadcountSerializer,
    IssueReportSerializer,
    ReportTransitionSerializer,
    VolunteerActivityScheduleSerializer,
    VolunteerActivitySerializer,
    VolunteerRosterSerializer,
)

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

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            selectors.event_counts_attach(events=page)
        return page

    def get_object(self) -> Event:
        event = super().get_object()
        selectors.event_counts_attach(events=[event])
        return event

    def _with_counts(self, pk: int) -> Event:
        event = self.get_queryset().get(pk=pk)
        selectors.event_counts_attach(events=[event])
        return event

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
        return Response(
            self.get_serializer(self._with_counts(event.pk)).data, status=status.HTTP_201_CREATED
        )

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
        return Response(self.get_serializer(self._with_counts(event.pk)).data)


class IssueReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiGenericViewSet):
    """Issue reports in your partnerships' areas that a team your agency runs deals with
    (a police Safer Neighbourhood team's anti-social behaviour reports): what, where, the
    state and the public updates, never who reported them. Move one along with
    `POST /issue-reports/{id}/transition/` (scope `reports:write`)."""

    api_scopes = ScopeMap(read=("reports:read",), write=("reports:write",))
    queryset = IssueReport.objects.none()
    serializer_class = IssueReportSerializer
    filterset_class = IssueReportFilterSet
    ordering_fields = ["created_at", "due_at", "priority"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[IssueReport]:
        caller = api_caller(self.request)
        return selectors.issue_report_list_for_api(
            areas=area_list_for_api_caller(caller=caller),
            agency=caller.agency if caller.is_client else None,
        ).order_by("-created_at", "-pk")

    @extend_schema(request=ReportTransitionSerializer, responses={200: IssueReportSerializer})
    @action(detail=True, methods=["post"], url_path="transition")
    def transition(self, request, pk=None) -> Response:
        """Move the report to another state with the update the reporter is sent."""
        report = self.get_object()
        caller = api_caller(request)
        if not caller.is_client:
            raise PermissionDenied("Council staff update reports on the site.")
        incoming = ReportTransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            services.issue_report_transition_by_agency(
                report=report,
                agency=caller.agency,
                api_client=caller.client.client_id,
                to_state=incoming.validated_data["state"],
                note=incoming.validated_data["note"],
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        except services.EngagementError as error:
            raise ValidationError({"detail": str(error)}) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)


def gate_refused(error: GateRefusedError) -> ValidationError:
    """The gate's refusal as the browser words it: `detail` names every missing thing,
    `refusals` gives each with its code."""
    return ValidationError(
        {
            "detail": str(error),
            "refusals": [{"code": r.code, "message": r.message} for r in error.refusals],
        }
    )


class VolunteerActivityViewSet(mixins.ListModelMixin, ApiGenericViewSet):
    """Volunteer activities in your partnerships' areas and for events your agency
    organises: task, day, place, area, whether an approved risk assessment covers it and
    how many are rostered (never who, never the assessment's details). Your agency
    schedules activities for its own events (`POST`, scope `volunteering:write`) and
    rosters volunteers it knows by their reference (`POST /volunteer-activities/{id}/roster/`),
    through the same safety checks as the council's pages: a refusal is a 400 whose
    `detail` names exactly what is missing, and nothing is written."""

    api_scopes = ScopeMap(read=("volunteering:read",), write=("volunteering:write",))
    queryset = VolunteerActivity.objects.none()
    serializer_class = VolunteerActivitySerializer
    ordering_fields = ["starts_at", "title", "updated_at"]
    ordering = ["-starts_at", "-id"]

    def get_queryset(self) -> QuerySet[VolunteerActivity]:
        caller = api_caller(self.request)
        return volunteering_selectors.activity_list_for_api(
            areas=area_list_for_api_caller(caller=caller),
            agency=caller.agency if caller.is_client else None,
        ).order_by("-starts_at", "-pk")

    def _client(self):
        caller = api_caller(self.request)
        if not caller.is_client:
            raise PermissionDenied(
                "Volunteer activities are scheduled through the API by partner agencies' "
                "clients; council staff schedule them on the site."
            )
        return caller

    @extend_schema(
        request=VolunteerActivityScheduleSerializer, responses={201: VolunteerActivitySerializer}
    )
    def create(self, request, *args, **kwargs) -> Response:
        caller = self._client()
        areas = area_list_for_api_caller(caller=caller)
        incoming = VolunteerActivityScheduleSerializer(
            data=request.data,
            areas=areas,
            events=Event.objects.filter(
                Q(area__in=areas.values("pk")) | Q(organising_agency=caller.agency)
            ),
        )
        incoming.is_valid(raise_exception=True)
        try:
            activity = volunteering_services.volunteer_activity_schedule(
                actor=None,
                agency=caller.agency,
                api_client=caller.client.client_id,
                data=incoming.validated_data,
            )
        except GateRefusedError as error:
            raise gate_refused(error) from None
        except services.EngagementError as error:
            raise ValidationError({"detail": str(error)}) from None
        self.audit_ids([activity.pk])
        activity = self.get_queryset().get(pk=activity.pk)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VolunteerRosterSerializer, responses={201: VolunteerActivitySerializer})
    @action(detail=True, methods=["post"], url_path="roster")
    def roster(self, request, pk=None) -> Response:
        """Roster a volunteer your agency knows (by their reference) on an activity for an
        event your agency organises. Rostering someone already on it changes nothing."""
        activity = self.get_object()
        caller = self._client()
        incoming = VolunteerRosterSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        volunteer = volunteering_selectors.volunteer_known_to_agency(
            agency=caller.agency, reference=incoming.validated_data["volunteer"]
        )
        if volunteer is None:
            raise ValidationError(
                {"volunteer": ["No volunteer your agency knows has this reference."]}
            )
        try:
            entry = volunteering_services.volunteer_roster_add(
                activity=activity,
                participant=volunteer,
                actor=None,
                agency=caller.agency,
                api_client=caller.client.client_id,
            )
        except GateRefusedError as error:
            raise gate_refused(error) from None
        except services.EngagementError as error:
            raise ValidationError({"detail": str(error)}) from None
        self.audit_ids([activity.pk, entry.pk])
        activity = self.get_queryset().get(pk=activity.pk)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)
