"""The API's base views: scopes, the audit of every call, and Idempotency-Key on POST.

Every API view derives from ApiViewMixin (through ApiGenericViewSet or ApiView), and
declares `api_scopes`. See docs/api.md and `docs/architecture.md` for adding a resource.
"""

import base64
import binascii
import re
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from oauth2_provider import views as oauth2_views
from rest_framework import exceptions, mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.audit import audit_record

from . import idempotency
from .audit import api_call_record, outcome_for_status
from .authentication import ApiClientAuthentication
from .callers import ApiCaller, api_caller
from .exceptions import RequestBodyTooLarge, throttled_message
from .permissions import HasApiScope
from .scopes import ScopeMap, scopes
from .selectors import partnership_list_for_api_caller
from .serializers import MeSerializer
from .throttling import AgencyRateThrottle


class _ReplayResponseError(Exception):
    def __init__(self, record) -> None:
        self.record = record


def body_too_large_refuse(request) -> None:
    """Refuse a body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE before anything reads it.

    Django refuses such a body when it is first read, which here is while the caller is
    being authenticated (a token may come in a form body), and again when the call is
    audited: its answer would be an HTML page. The call is refused as an anonymous one,
    so that nothing reads the body afterwards.
    """
    if body_too_large(request):
        request.user, request.auth = AnonymousUser(), None
        raise RequestBodyTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def body_too_large(request) -> bool:
    """Whether Django would refuse the body (RequestDataTooBig) once something reads it."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0  # as Django reads it: no body
    return limit is not None and length > limit


class ApiViewMixin:
    api_scopes: ScopeMap
    # Public views (the schema and its page) hold no data and are not audited.
    audit_calls = True

    def get_audit_object_type(self) -> str:
        queryset = getattr(self, "queryset", None)
        model = getattr(queryset, "model", None)
        if model is None:
            serializer_class = getattr(self, "serializer_class", None)
            model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        return model._meta.label_lower if model is not None else ""

    # Idempotency-Key

    def initial(self, request, *args, **kwargs) -> None:
        self._idempotency_record = None
        body_too_large_refuse(request)
        try:
            super().initial(request, *args, **kwargs)
        except (exceptions.AuthenticationFailed, exceptions.NotAuthenticated):
            # DRF counts a call against the rate limits only once it is authenticated
            # and permitted: a call with no valid credentials (guessing tokens) would
            # never be. It counts per address, as a call without credentials.
            self.check_throttles(request)
            raise
        raw_key = request.headers.get(idempotency.HEADER)
        if request.method != "POST" or raw_key is None:
            return
        key = idempotency.idempotency_key_clean(raw_key)
        outcome = idempotency.idempotency_begin(
            caller=api_caller(request).key,
            key=key,
            method=request.method,
            path=request.path,
            fingerprint=idempotency.request_fingerprint(
                method=request.method,
                path=request.path,
                query=request.META.get("QUERY_STRING", ""),
                body=request.body,
                content_type=request.content_type,
            ),
        )
        if isinstance(outcome, idempotency.Replay):
            raise _ReplayResponseError(outcome.record)
        self._idempotency_record = outcome

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, _ReplayResponseError):
            record = exc.record
            response = Response(status=record.response_status)
            response.content = record.response_body.encode("utf-8")
            response._is_rendered = True
            for name, value in record.response_headers.items():
                response[name] = value
            response["Idempotent-Replayed"] = "true"
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_idempotency_record", None)
        if record is not None:
            response.render()
            idempotency.idempotency_complete(record=record, response=response)
            self._idempotency_record = None
        self._audit(request, response.status_code)
        return response

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Exception:
            # An unhandled error: the key is freed for a retry and the call still audited.
            record = getattr(self, "_idempotency_record", None)
            if record is not None:
                idempotency.idempotency_abandon(record=record)
            drf_request = getattr(self, "request", None)
            if drf_request is not None and hasattr(drf_request, "_request"):
                self._audit(drf_request, 500)
            raise

    # The audit trail

    def audit_ids(self, ids) -> None:
        """Name the records this call returns (a page of a list, or one record)."""
        self._audit_object_ids = [str(i) for i in ids]

    def _audit(self, request, status_code: int) -> None:
        if not self.audit_calls or getattr(self, "_audited", False):
            return
        self._audited = True
        scope_map = getattr(self, "api_scopes", None)
        needed = scope_map.for_method(request.method) if scope_map is not None else ()
        ids = getattr(self, "_audit_object_ids", [])
        api_call_record(
            caller=api_caller(request),
            scopes=tuple(needed),
            method=request.method,
            path=request.path,
            status_code=status_code,
            object_type=self.get_audit_object_type(),
            object_id=ids[0] if len(ids) == 1 and self._is_detail() else "",
            object_ids=[] if len(ids) == 1 and self._is_detail() else ids,
        )

    def _is_detail(self) -> bool:
        lookup = getattr(self, "lookup_url_kwarg", None) or getattr(self, "lookup_field", "pk")
        return lookup in getattr(self, "kwargs", {})


class ApiView(ApiViewMixin, APIView):
    pass


class ApiGenericViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """Scope in get_queryset (through coproduction.api.selectors), never trust an id."""

    lookup_value_regex = r"[0-9]+"
    # Explicit per view; an empty list means no ordering by the caller.
    ordering_fields: list[str] = []

    def paginate_queryset(self, queryset: QuerySet):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self.audit_ids(obj.pk for obj in page)
        return page

    def get_object(self):
        obj = super().get_object()
        self.audit_ids([obj.pk])
        return obj


class ApiReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiGenericViewSet):
    pass


class OAuthAuditMixin:
    """The OAuth2 endpoints (not DRF views): every attempt lands in the audit trail, with
    the client it names, and a body over the limit is refused without being read. Refused
    requests count per address as calls without a valid token do, so that a client's
    secret is not guessed at any speed."""

    audit_action: str

    def post(self, request, *args, **kwargs):
        throttle = AgencyRateThrottle()
        if throttle.is_spent(request):
            response = JsonResponse(
                {"error": "slow_down", "error_description": throttled_message(throttle.wait())},
                status=429,
            )
            response["Retry-After"] = str(throttle.wait())
            client_id = _client_id_from_request(request, form=False)
        elif body_too_large(request):
            # In OAuth2's error shape, without reading the body (Django's answer would be
            # its HTML page).
            refusal = RequestBodyTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            response = JsonResponse(
                {"error": "invalid_request", "error_description": refusal.detail}, status=413
            )
            client_id = _client_id_from_request(request, form=False)
        else:
            response = super().post(request, *args, **kwargs)
            client_id = _client_id_from_request(request)
            if response.status_code in (400, 401):
                # Counted as a call without valid credentials; a client's own token
                # requests are not limited.
                throttle.allow_request(request, self)
        audit_record(
            actor=None,
            api_client=client_id,
            action=self.audit_action,
            outcome=outcome_for_status(response.status_code),
            route=f"POST {request.path} {response.status_code}",
        )
        return response


class TokenView(OAuthAuditMixin, oauth2_views.TokenView):
    """POST client_id and client_secret (HTTP Basic) with grant_type=client_credentials
    for a bearer token of at most an hour. Every attempt lands in the audit trail."""

    api_scopes = ScopeMap.public()
    audit_action = "api token"


class RevokeTokenView(OAuthAuditMixin, oauth2_views.RevokeTokenView):
    """POST a token (with the client's credentials) to revoke it before it expires. Every
    attempt lands in the audit trail."""

    api_scopes = ScopeMap.public()
    audit_action = "api token revoke"


# Client ids are generated from these characters; anything else a caller sends is dropped
# before it reaches the audit trail.
CLIENT_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]")


def _client_id_from_request(request, *, form: bool = True) -> str:
    """The client id a token request names (HTTP Basic, or the form), for the audit."""
    client_id = ""
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(auth[6:], validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            decoded = ""
        client_id = unquote(decoded.split(":", 1)[0])
    elif form:
        client_id = request.POST.get("client_id", "")
    return CLIENT_ID_UNSAFE.sub("", client_id)[:100]


class MeView(ApiView):
    """The calling client: its agency, the scopes its token carries and the partnerships
    that scope its data. A good first call to check a token works."""

    api_scopes = ScopeMap.authenticated()
    serializer_class = MeSerializer

    @extend_schema(operation_id="me_retrieve", responses=MeSerializer)
    def get(self, request) -> Response:
        caller = api_caller(request)
        partnerships = list(
            partnership_list_for_api_caller(caller=caller)
            .select_related("area")
            .order_by("name", "pk")
        )
        self.audit_ids(p.pk for p in partnerships)
        token = request.auth if caller.is_client else None
        data = {
            "kind": "client" if caller.is_client else "person",
            "client_id": caller.client.client_id if caller.is_client else None,
            "agency": caller.agency,
            "person": None
            if caller.is_client
            else {
                "name": caller.user.full_name,
                "roles": [role.value for role in caller.user.roles],
            },
            "scopes": sorted(caller.scopes),
            "token_expires_at": token.expires if token is not None else None,
            "partnerships": partnerships,
        }
        return Response(MeSerializer(data, context={"request": request}).data)

    def get_audit_object_type(self) -> str:
        return "governance.partnership"

    @staticmethod
    def _person(user) -> dict:
        return {"name": user.full_name, "roles": [role.value for role in user.roles]}


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of this API (JSON, or YAML with ?format=yaml)."""

    api_scopes = ScopeMap.public()
    permission_classes = [HasApiScope]


class ApiDocsView(TemplateView):
    """The reference for partners' developers: getting started and the interactive
    Swagger UI, served from this site (no CDN) under its content security policy."""

    api_scopes = ScopeMap.public()
    template_name = "api/api_docs.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["schema_url"] = reverse("api:schema")
        context["token_url"] = self.request.build_absolute_uri(reverse("api:token"))
        context["api_root"] = self.request.build_absolute_uri(reverse("api:me")).rsplit("me/", 1)[
            0
        ]
        context["scopes"] = list(scopes)
        return context


@csrf_exempt
def api_not_found(request, unmatched: str = "") -> JsonResponse:
    """Unknown paths under /api/v1/ answer in JSON, like the rest of the API, whatever the
    method: a POST to a mistyped path is a 404, not a CSRF refusal (it changes nothing).
    The call is audited like any other, with the client whose token it carries (a token
    that is not valid changes nothing here: the answer is the same 404)."""
    api_call_record(
        caller=_caller_if_known(request),
        scopes=(),
        method=request.method,
        path=request.path,
        status_code=404,
    )
    meant = _path_with_slash(request.path)
    if meant:
        detail = f"No such endpoint: the API's paths end with a slash ({meant})."
    else:
        detail = "No such endpoint. See /api/v1/docs/."
    return JsonResponse({"detail": detail}, status=404)


def _path_with_slash(path: str) -> str:
    """The endpoint a path without its final slash names, if any ("" otherwise)."""
    if path.endswith("/"):
        return ""
    try:
        match = resolve(path + "/")
    except Resolver404:
        return ""
    return "" if match.func is api_not_found else path + "/"


def _caller_if_known(request) -> ApiCaller:
    """The client a valid bearer token names, else the signed-in person (or nobody),
    without refusing anyone."""
    try:
        found = ApiClientAuthentication().authenticate(request)
    except (exceptions.AuthenticationFailed, SuspiciousOperation, MultiPartParserError):
        # Not valid, or a body (read for a token in it) that does not parse.
        found = None
    if found is None:
        return ApiCaller(user=getattr(request, "user", None))
    user, token = found
    return ApiCaller(client=user.api_client, token_scopes=frozenset((token.scope or "").split()))
