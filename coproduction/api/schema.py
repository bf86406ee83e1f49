"""The OpenAPI 3 schema (drf-spectacular): the OAuth2 client-credentials scheme with the
registered scopes, each operation's scopes, and the error responses every call may get."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .field_rules import NEVER_SENT, FieldRulesMixin
from .scopes import scopes

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"description": "What went wrong, for a person to read."}},
    "required": ["detail"],
}
# A 400 has either `detail`, or each invalid parameter's or field's messages by its name.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"description": "What went wrong, for a person to read."}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
COMMON_ERRORS = {
    "400": "The request was malformed: `detail`, or each field's errors by field name.",
    "401": "No valid token: ask for one at the token endpoint.",
    "403": "The token lacks a scope this call needs (named in `detail`).",
    "404": "No such record among those your agency may see, or no such page.",
    "429": "Too many calls from your agency: wait the seconds `Retry-After` gives.",
}


class ApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    """The client credentials flow with its scopes, and the bearer header it leads to
    (for tools that read `http` schemes but not OAuth2 flows)."""

    target_class = "coproduction.api.authentication.ApiClientAuthentication"
    name = ["oauth2", "bearerAuth"]

    def get_security_definition(self, auto_schema) -> list[dict]:
        oauth2 = {
            "type": "oauth2",
            "description": "Client credentials: one client per partner agency, issued by "
            "the council. Tokens last an hour.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": settings.SITE_URL
                    + settings.SPECTACULAR_SETTINGS["OAUTH2_TOKEN_URL"],
                    "scopes": scopes.descriptions(),
                }
            },
        }
        bearer = {
            "type": "http",
            "scheme": "bearer",
            "description": "The access token from the token endpoint, in the "
            "Authorization header.",
        }
        return [oauth2, bearer]

    def get_security_requirement(self, auto_schema) -> list[dict]:
        scope_map = getattr(auto_schema.view, "api_scopes", None)
        needed = scope_map.for_method(auto_schema.method) if scope_map is not None else ()
        return [{"oauth2": list(needed)}, {"bearerAuth": []}]


def api_endpoints_only(endpoints: list) -> list:
    """Only the data endpoints: not the schema, nor its page."""
    return [
        (path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
        if not getattr(getattr(callback, "cls", None), "api_scopes", None)
        or not callback.cls.api_scopes.is_public
    ]


def add_common_responses(result: dict, generator, request, public) -> dict:
    """The errors any call may get, with their shape, and Retry-After on 429."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    components["schemas"]["ValidationError"] = VALIDATION_ERROR_SCHEMA
    error_ref = {"$ref": "#/components/schemas/Error"}
    validation_ref = {"$ref": "#/components/schemas/ValidationError"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON_ERRORS.items():
                if code in responses:
                    continue
                response = {
                    "description": description,
                    "content": {
                        "application/json": {
                            "schema": validation_ref if code == "400" else error_ref
                        }
                    },
                }
                if code == "429":
                    response["headers"] = {
                        "Retry-After": {
                            "description": "Seconds to wait before calling again.",
                            "schema": {"type": "integer"},
                        }
                    }
                responses[code] = response
            if method == "post":
                operation.setdefault("parameters", []).append(
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "description": "Any unique string (a UUID): a retry with the same "
                        "key and body gets the first response instead of acting twice.",
                        "schema": {"type": "string", "maxLength": 255},
                    }
                )
                operation["responses"].setdefault(
                    "409", {"description": "A request with this key is still running."}
                )
                operation["responses"].setdefault(
                    "422", {"description": "This key was used for a different request."}
                )
    return result


def _subclasses(cls) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def sensitive_fields_optional(result: dict, generator, request, public) -> dict:
    """Fields only some callers get (contact details: FieldRulesMixin) are documented but
    not required, as a response may leave them out; those no caller gets are not there."""
    schemas = result.get("components", {}).get("schemas", {})
    for serializer_class in _subclasses(FieldRulesMixin):
        declared = getattr(getattr(serializer_class, "Meta", None), "sensitive_fields", {})
        sometimes = {name for name, category in declared.items() if category not in NEVER_SENT}
        component = schemas.get(serializer_class.__name__.removesuffix("Serializer"))
        if not sometimes or component is None or "required" not in component:
            continue
        component["required"] = [name for name in component["required"] if name not in sometimes]
        if not component["required"]:
            del component["required"]
    return result
