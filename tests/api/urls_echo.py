"""A test-only URLconf: the whole site plus a POST endpoint built on the API's base view,
to prove the frame's write path (Idempotency-Key, errors, audit) before any app's
resource writes."""

from django.urls import include, path
from rest_framework import serializers, status
from rest_framework.response import Response

from coproduction.api.scopes import ScopeMap
from coproduction.api.views import ApiView

CALLS: list[dict] = []


class EchoSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200)
    count = serializers.IntegerField(min_value=0, max_value=1000, required=False)


class EchoView(ApiView):
    api_scopes = ScopeMap(read=("areas:read",), write=("areas:read",))

    def post(self, request) -> Response:
        serializer = EchoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        CALLS.append(serializer.validated_data)
        return Response(
            {"call": len(CALLS), **serializer.validated_data},
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/test/echo/{len(CALLS)}/"},
        )


class BrokenView(ApiView):
    api_scopes = ScopeMap(read=("areas:read",), write=("areas:read",))

    def post(self, request) -> Response:
        raise RuntimeError("a bug")


urlpatterns = [
    path("api/test/echo/", EchoView.as_view()),
    path("api/test/broken/", BrokenView.as_view()),
    path("", include("coproduction.urls")),
]
