"""The JSON Schema of a report's JSON (the same document for the download, the API and
the snapshot), kept in the repository beside this module, and the same schema in the
partner API's OpenAPI document (component `InclusionReportResults`)."""

import json
from functools import cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).parent / "schemas" / "inclusion-report.schema.json"
OPENAPI_COMPONENT = "InclusionReportResults"
# A report's `results` in the API: the component, or null while the report is running.
OPENAPI_RESULTS_FIELD = {
    "allOf": [{"$ref": f"#/components/schemas/{OPENAPI_COMPONENT}"}],
    "nullable": True,
    "description": "The report's figures for your audience, keyed by the census category "
    "codes; null until the report is done. The same document as /reports/schema.json.",
}


@cache
def report_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


@cache
def report_openapi_schema() -> dict:
    """The report's JSON Schema in the dialect of OpenAPI 3.0's schema objects."""
    return _openapi_30(report_schema())


def _openapi_30(node):
    """JSON Schema 2020-12 to OpenAPI 3.0: a type list with "null" becomes `nullable`,
    and the document's own `$schema` and `$id` go (they name the JSON Schema file)."""
    if isinstance(node, list):
        return [_openapi_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {}
    for key, value in node.items():
        if key in ("$schema", "$id"):
            continue
        if key == "properties":
            converted[key] = {name: _openapi_30(sub) for name, sub in value.items()}
        elif key == "type" and isinstance(value, list):
            types = [kind for kind in value if kind != "null"]
            if len(types) != 1:
                raise ValueError(f"OpenAPI 3.0 has no schema for the type list {value}")
            converted["type"] = types[0]
            if "null" in value:
                converted["nullable"] = True
        else:
            converted[key] = _openapi_30(value)
    return converted


def add_report_results_component(result, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook: the report's schema as a named component."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[OPENAPI_COMPONENT] = report_openapi_schema()
    return result
