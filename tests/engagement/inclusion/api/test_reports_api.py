"""The reports resource for the partner API, called through DRF as the frame will mount
it (session-authenticated here; the frame adds OAuth2 tokens and the scopes)."""

import jsonschema
import pytest
from rest_framework.test import APIRequestFactory, force_authenticate

from engagement.inclusion.api.views import REQUIRED_SCOPES, ReportViewSet
from engagement.inclusion.models import Report
from engagement.inclusion.schema import report_schema
from governance.models import AuditEvent
from tests.api.factories import ApiClientFactory
from tests.api.fixtures import api_for

factory = APIRequestFactory()
LIST = ReportViewSet.as_view({"get": "list", "post": "create"})
DETAIL = ReportViewSet.as_view({"get": "retrieve"})


def call(view, user, method="get", data=None, **kwargs):
    request = getattr(factory, method)("/api/v1/reports/", data, format="json")
    force_authenticate(request, user=user)
    return view(request, **kwargs)


def test_every_method_declares_its_scope():
    assert REQUIRED_SCOPES == {"GET": ["reports:read"], "POST": ["reports:request"]}


def test_partner_reads_only_the_published_figures(partner_user, aap_report):
    response = call(DETAIL, partner_user, pk=aap_report.pk)
    assert response.status_code == 200
    assert response.data["results"] == aap_report.published
    jsonschema.validate(response.data["results"], report_schema())
    assert not AuditEvent.objects.filter(action="inclusion.report.read").exists()


def test_officer_reads_the_councils_figures_and_the_read_is_recorded(officer, aap_report):
    response = call(DETAIL, officer, pk=aap_report.pk)
    assert response.data["results"] == aap_report.results
    assert AuditEvent.objects.filter(action="inclusion.report.read").count() == 1


def test_a_report_outside_the_callers_scope_is_not_found(elected_member, aap_report):
    assert call(DETAIL, elected_member, pk=aap_report.pk).status_code == 404


def test_partner_requests_a_report_on_its_partnership(partner_user, aap, on_commit_now):
    """A partner agency asks through its API client (partners' own sessions read only)."""
    from tests.engagement.inclusion.factories import PartnershipFactory

    partnership = PartnershipFactory(area=aap)
    partnership.agencies.add(partner_user.partner_agency)
    api = api_for(ApiClientFactory(agency=partner_user.partner_agency))
    response = api.post(
        "/api/v1/reports/",
        {"scope": f"partnership:{partnership.pk}", "start": "2026-01", "end": "2026-03"},
        format="json",
    )
    assert response.status_code == 202, response.content
    report = Report.objects.get()
    assert report.via == Report.Via.API
    assert report.requested_by_agency == partner_user.partner_agency
    assert report.requested_by is None


def test_partners_session_may_not_request_a_report(partner_user):
    response = call(
        LIST, partner_user, "post", {"scope": "programme", "start": "2026-01", "end": "2026-03"}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"scope": "partnership:999999", "start": "2026-01", "end": "2026-03"},
        {"scope": "programme", "start": "2026-01", "end": "2026-03"},
        {"scope": "area:1", "start": "2026-13", "end": "2026-03"},
        {"scope": "area:1", "start": "2026-03", "end": "2026-01"},
        {"scope": "\x00" * 50, "start": "x" * 7, "end": ""},
        {},
    ],
)
def test_bad_requests_get_a_400_and_save_nothing(partner_user, data):
    api = api_for(ApiClientFactory(agency=partner_user.partner_agency))
    response = api.post("/api/v1/reports/", data, format="json")
    assert response.status_code == 400
    assert not Report.objects.exists()


def _as_json_schema(node):
    """OpenAPI 3.0's `nullable` back to a JSON Schema type list, to validate with."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {
        key: (
            {name: _as_json_schema(sub) for name, sub in value.items()}
            if key == "properties"
            else _as_json_schema(value)
        )
        for key, value in node.items()
        if key != "nullable"
    }
    if node.get("nullable"):
        converted["type"] = [node["type"], "null"]
    return converted


@pytest.fixture(scope="module")
def openapi():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_openapi_document_carries_the_reports_json_schema(openapi):
    component = openapi["components"]["schemas"]["InclusionReportResults"]
    expected = {k: v for k, v in report_schema().items() if k not in ("$schema", "$id")}
    assert _as_json_schema(component) == expected
    results = openapi["components"]["schemas"]["Report"]["properties"]["results"]
    assert results["allOf"] == [{"$ref": "#/components/schemas/InclusionReportResults"}]
    assert results["nullable"] is True


def test_a_report_the_api_returns_validates_against_its_openapi_schema(
    openapi, partner_user, officer, aap_report
):
    component = _as_json_schema(openapi["components"]["schemas"]["InclusionReportResults"])
    for user in (partner_user, officer):
        results = call(DETAIL, user, pk=aap_report.pk).data["results"]
        jsonschema.validate(results, component)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**aap_report.published, "participants": "many"}, component)


def test_a_type_openapi_30_cannot_say_is_refused():
    from engagement.inclusion.schema import _openapi_30

    assert _openapi_30({"type": ["integer", "null"]}) == {"type": "integer", "nullable": True}
    with pytest.raises(ValueError, match="type list"):
        _openapi_30({"type": ["integer", "string"]})
