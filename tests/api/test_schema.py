"""The OpenAPI 3 schema: valid, with the OAuth2 scheme and each operation's scopes."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from coproduction.api.scopes import scopes


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        response = APIClient().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_schema_validates_without_warnings(tmp_path):
    # when / then: raises SystemExit on any warning or invalid schema
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_schema_has_the_client_credentials_scheme_with_every_scope(schema):
    # then
    scheme = schema["components"]["securitySchemes"]["oauth2"]
    flow = scheme["flows"]["clientCredentials"]
    assert flow["tokenUrl"].endswith("/api/v1/oauth/token/")
    assert set(flow["scopes"]) == set(scopes.names())


def test_every_operation_names_its_scopes(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            oauth = [s["oauth2"] for s in operation["security"] if "oauth2" in s]
            assert oauth, f"{method} {path} has no oauth2 requirement"
            if path != "/api/v1/me/":
                assert oauth[0], f"{method} {path} names no scope"


def test_every_operation_documents_the_common_errors(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert {"401", "403", "429"} <= set(operation["responses"]), f"{method} {path}"
            assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_schema_lists_only_data_endpoints(schema):
    assert "/api/v1/schema/" not in schema["paths"]
    assert "/api/v1/areas/" in schema["paths"]
    assert "/api/v1/me/" in schema["paths"]


def test_list_filters_are_documented(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/areas/"]["get"]["parameters"]}
    assert {"kind", "parent", "code", "ordering", "page", "page_size"} <= names


def test_a_list_in_a_fixed_order_offers_no_ordering(schema):
    # given: the inclusion reports, newest first, with no field to order by
    names = {p["name"] for p in schema["paths"]["/api/v1/reports/"]["get"]["parameters"]}
    # then
    assert "ordering" not in names
    assert {"page", "page_size"} <= names


def test_fields_only_some_callers_get_are_documented_as_optional(schema):
    # given: the contact details a named partner lead's client (or council staff) gets
    components = schema["components"]["schemas"]
    sometimes = {
        "Project": {"lead_officer"},
        "Asset": {"contact_name", "contact_email", "contact_phone"},
    }
    for name, fields in sometimes.items():
        component = components[name]
        # then: described, so that generated clients keep them, but not required
        assert fields <= set(component["properties"]), name
        assert not fields & set(component.get("required", [])), name
        # and the fields every caller gets are still required
        assert "id" in component["required"], name


def test_every_resource_with_sensitive_fields_is_in_the_schema(schema):
    # given: the API's serializers with fields only some callers get
    from coproduction.api.field_rules import NEVER_SENT, FieldRulesMixin
    from coproduction.api.schema import _subclasses

    named = {
        cls.__name__.removesuffix("Serializer")
        for cls in _subclasses(FieldRulesMixin)
        if not cls.__module__.startswith("tests.")
        and set(getattr(getattr(cls, "Meta", None), "sensitive_fields", {}).values()) - NEVER_SENT
    }
    # then: each is the component the schema hook makes optional fields of
    assert named <= set(schema["components"]["schemas"])
