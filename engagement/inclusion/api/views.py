"""Partners request and read reports through the API: published figures only for partner
agencies; council staff's sessions read the council's figures."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from coproduction.api.callers import api_caller
from coproduction.api.scopes import ScopeMap
from coproduction.api.views import ApiGenericViewSet
from coproduction.numbers import whole_number
from governance.audit import audit_record

from .. import selectors, services
from ..disclosure import INTERNAL, PUBLISHED
from ..models import Report, ScopeKind
from .serializers import ReportRequestSerializer, ReportSerializer

# The scopes each method needs (read by the API frame's scope check).
REQUIRED_SCOPES = {"GET": ["reports:read"], "POST": ["reports:request"]}


class ReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    ApiGenericViewSet,
):
    """Inclusion and representativeness reports: who took part against the census.
    Partner agencies request them about their partnerships and read the published
    figures (small numbers suppressed)."""

    serializer_class = ReportSerializer
    queryset = Report.objects.none()
    required_scopes = REQUIRED_SCOPES
    api_scopes = ScopeMap(read=("reports:read",), write=("reports:request",))
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        # Scoped to the caller: never a bare id (a report outside it is a 404).
        caller = api_caller(self.request)
        if caller.is_client:
            reports = selectors.report_list_for_agency(agency=caller.agency)
        else:
            reports = selectors.report_list_for_user(user=self.request.user)
        return reports.order_by("-created_at", "-pk")

    def _mode(self, report: Report | None = None) -> str:
        user = self.request.user
        if api_caller(self.request).is_client:
            return PUBLISHED
        if report is not None and user.has_perm("inclusion.view_report", report):
            return INTERNAL
        return PUBLISHED

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["mode"] = PUBLISHED
        return context

    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        mode = self._mode(report)
        if mode == INTERNAL and report.is_done:
            audit_record(
                actor=request.user, action="inclusion.report.read", obj=report, route=request.path
            )
        return Response(ReportSerializer(report, context={"mode": mode}).data)

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportSerializer})
    def create(self, request, *args, **kwargs):
        incoming = ReportRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        caller = api_caller(request)
        agency = caller.agency
        chosen = None
        if not caller.is_client:
            chosen = selectors.scope_from_choice(user=request.user, value=data["scope"])
        if chosen is None and agency is not None:
            chosen = _partner_scope(agency, data["scope"])
        if chosen is None:
            return Response(
                {"detail": "Unknown scope, or one you may not see."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        kind, obj = chosen
        try:
            with transaction.atomic():
                report = services.report_request(
                    scope=services.ReportScope(kind, obj),
                    start=data["start"],
                    end=data["end"],
                    requested_by=None if caller.is_client else request.user,
                    via=Report.Via.API,
                    minimum_age=data["minimum_age"],
                    agency=agency,
                )
        except services.ReportError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        self.audit_ids([report.pk])
        return Response(
            ReportSerializer(report, context={"mode": PUBLISHED}).data,
            status=status.HTTP_202_ACCEPTED,
        )


def _partner_scope(agency, value: str):
    """A partner agency may ask about its own partnerships and their priority cycles."""
    from governance.models import Partnership, PriorityCycle

    name, _, text = value.partition(":")
    pk = whole_number(text)
    if pk is None:
        return None
    if name == "partnership":
        found = Partnership.objects.filter(pk=pk, agencies=agency).first()
        return (ScopeKind.PARTNERSHIP, found) if found else None
    if name == "cycle":
        found = PriorityCycle.objects.filter(pk=pk, partnership__agencies=agency).first()
        return (ScopeKind.PRIORITY_CYCLE, found) if found else None
    return None
