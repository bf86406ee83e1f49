"""GeoReport v2 endpoints: services, requests (list, one, post), in JSON or XML.

Reads are anonymous as GeoReport allows (public fields only), throttled and audited like
every API call; posting needs `open311:write` through an `api_key` or a bearer token.
Errors use the specification's shape: `[{"code": 400, "description": "..."}]`.
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import exceptions, status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from coproduction.api.authentication import ApiClientAuthentication
from coproduction.api.callers import api_caller
from coproduction.api.scopes import ScopeMap
from coproduction.api.views import ApiViewMixin, body_too_large_refuse
from engagement import selectors, services
from engagement.models import IssueCategory, IssueReport

from .authentication import ApiKeyAuthentication
from .renderers import GeoReportXMLRenderer
from .serializers import (
    ServiceRequestCreateSerializer,
    ServiceRequestSerializer,
    ServiceSerializer,
)

WRITE_SCOPE = "open311:write"
MAX_IDS = 200
# The years a start_date or end_date may fall in.
DATE_YEARS = (1900, 2100)
RECEIVED_NOTICE = (
    "Thank you: the report is with the council's {team}. Its reference is {reference}."
)


class PathFormatNegotiation(DefaultContentNegotiation):
    """GeoReport names the format in the path: `.xml` answers XML and `.json` (or no
    format) JSON, whatever the Accept header says. DRF would refuse an XML client's
    `Accept: application/xml` (the renderer's type is text/xml) with a 406, in JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = next((r for r in renderers if r.format == format_suffix), renderers[0])
        return renderer, renderer.media_type


class CanPostReports(BasePermission):
    """Anyone reads; posting needs a client (api_key or bearer token) with the scope."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS or not hasattr(view, request.method.lower()):
            # A method the view lacks is answered 405 by DRF, not refused here.
            return True
        caller = api_caller(request)
        if not caller.is_client:
            self.message = "Give the api_key the council issued to post a report."
            return False
        if WRITE_SCOPE not in caller.scopes:
            if WRITE_SCOPE in caller.client.scopes:
                # The client holds it; the token was asked for without it.
                self.message = (
                    f"This token does not have the scope {WRITE_SCOPE}: ask for it when you "
                    "request the token."
                )
            else:
                self.message = (
                    f"This client does not have the scope {WRITE_SCOPE}: "
                    "ask the council to grant it."
                )
            return False
        return True


def _descriptions(data) -> list[str]:
    if isinstance(data, dict):
        found = []
        for name, value in data.items():
            for text in _descriptions(value):
                found.append(text if name in {"detail", "non_field_errors"} else f"{name}: {text}")
        return found
    if isinstance(data, list):
        return [text for item in data for text in _descriptions(item)]
    return [str(data)]


class GeoReportView(ApiViewMixin, APIView):
    api_scopes = ScopeMap(write=(WRITE_SCOPE,))
    authentication_classes = [ApiClientAuthentication, ApiKeyAuthentication]
    permission_classes = [CanPostReports]
    renderer_classes = [JSONRenderer, GeoReportXMLRenderer]
    content_negotiation_class = PathFormatNegotiation
    parser_classes = [FormParser, MultiPartParser]
    # Not part of the partner API's OpenAPI schema: GeoReport is its own specification.
    schema = None
    xml_tags = ("service_requests", "request")

    def initial(self, request, *args, **kwargs) -> None:
        body_too_large_refuse(request)
        if request.method == "POST":
            # Keep the raw body: the api_key is read from the parsed form, and the
            # Idempotency-Key check then fingerprints the body itself.
            request._request.body  # noqa: B018
        super().initial(request, *args, **kwargs)

    def permission_denied(self, request, message=None, code=None) -> None:
        if message is not None and request.authenticators and not request.successful_authenticator:
            # No api_key (nor token): say what to send, not DRF's "Authentication
            # credentials were not provided"; still a NotAuthenticated, so the call counts
            # against the anonymous rate limit.
            raise exceptions.NotAuthenticated(detail=message, code=code)
        super().permission_denied(request, message=message, code=code)

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if getattr(response, "data", None) is None:
            return response  # a replayed answer, already in shape
        code = response.status_code
        if code == status.HTTP_401_UNAUTHORIZED:
            # GeoReport has no 401: a missing or bad key is 403.
            code = response.status_code = status.HTTP_403_FORBIDDEN
            if "WWW-Authenticate" in response:
                del response["WWW-Authenticate"]
        response.data = [
            {"code": code, "description": text} for text in _descriptions(response.data)
        ]
        return response


class GeoReportNotFoundView(GeoReportView):
    """Any other path under the endpoint: 404 in the specification's shape (JSON, or XML
    for a path ending .xml), after the same throttling and audit as every call."""

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        raise NotFound(
            "There is no such GeoReport resource: the endpoint has services and requests, "
            "each as .json or .xml."
        )


class ServiceListView(GeoReportView):
    """GET services.{json,xml}: the active issue categories."""

    queryset = IssueCategory.objects.none()
    xml_tags = ("services", "service")

    def get(self, request, format=None):
        categories = list(selectors.issue_category_list_for_open311())
        self.audit_ids(c.pk for c in categories)
        return Response(ServiceSerializer(categories, many=True).data)


def _datetime_param(params, name: str) -> datetime | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise ParseError(f"{name}: give a W3C date and time, e.g. 2026-11-01T09:00:00Z.")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    # In UTC, as the database compares it; the default start is 90 days before end_date.
    try:
        value = value.astimezone(UTC)
    except OverflowError:
        value = None
    if value is None or not DATE_YEARS[0] <= value.year <= DATE_YEARS[1]:
        raise ParseError(
            f"{name}: give a date and time between {DATE_YEARS[0]} and {DATE_YEARS[1]}."
        )
    return value


def _list_param(params, name: str) -> list[str]:
    raw = params.get(name)
    if raw is None:
        return []
    if "\x00" in raw:
        raise ParseError(f"{name}: the text holds a NUL character.")
    return [part.strip() for part in raw.split(",") if part.strip()]


class ServiceRequestListView(GeoReportView):
    """GET requests.{json,xml} (filters of the specification) and POST a report."""

    queryset = IssueReport.objects.none()

    def get(self, request, format=None):
        params = request.query_params
        raw_ids = _list_param(params, "service_request_id")
        if len(raw_ids) > MAX_IDS or not all(i.isascii() and i.isdigit() for i in raw_ids):
            raise ParseError(
                f"service_request_id: give up to {MAX_IDS} request ids separated by commas."
            )
        # GeoReport v2: one status, or several separated by commas; none means all.
        states = set(_list_param(params, "status"))
        if not states <= {"open", "closed"}:
            raise ParseError("status: give open, closed or open,closed.")
        start = _datetime_param(params, "start_date")
        end = _datetime_param(params, "end_date")
        if start is not None and end is not None and start > end:
            raise ParseError("start_date: it comes after end_date.")
        ids = [int(i) for i in raw_ids if len(i) <= 18]
        if raw_ids and not ids:
            # Only ids beyond any report's: none, not the list without the filter.
            return Response([])
        reports = selectors.issue_report_list_for_open311(
            ids=ids,
            service_codes=_list_param(params, "service_code"),
            start=start,
            end=end,
            is_open=None if len(states) != 1 else states == {"open"},
        )
        self.audit_ids(r.pk for r in reports)
        return Response(ServiceRequestSerializer(reports, many=True).data)

    def post(self, request, format=None):
        serializer = ServiceRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        full_name = f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
        try:
            report = services.issue_report_open311_create(
                category=data["service_code"],
                latitude=data["lat"],
                longitude=data["long"],
                description=data["description"],
                address=data.get("address_string", ""),
                email=data["email"],
                full_name=full_name,
                api_client=api_caller(request).audit_client,
            )
        except services.EngagementError as exc:
            raise ParseError(str(exc)) from exc
        self.audit_ids([report.pk])
        notice = RECEIVED_NOTICE.format(
            team=report.team.name if report.team else "street scene team",
            reference=report.reference,
        )
        return Response(
            [{"service_request_id": str(report.pk), "service_notice": notice}],
            status=status.HTTP_201_CREATED,
        )


class ServiceRequestDetailView(GeoReportView):
    """GET requests/{id}.{json,xml}: one report, as a list of one (the specification)."""

    queryset = IssueReport.objects.none()

    def get(self, request, pk: str, format=None):
        try:
            report = selectors.issue_report_get_for_open311(pk=int(pk))
        except IssueReport.DoesNotExist:
            raise NotFound(f"No service request {pk}.") from None
        self.audit_ids([report.pk])
        return Response(ServiceRequestSerializer([report], many=True).data)
