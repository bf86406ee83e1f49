"""Field-level rules: what the API never sends, whatever the caller's scopes.

A serializer names its sensitive fields by category:

    class ParticipantSerializer(FieldRulesMixin, serializers.ModelSerializer):
        class Meta:
            model = Participant
            fields = ["id", "display_name", "email", "phone"]
            sensitive_fields = {"email": CONTACT_DETAILS, "phone": CONTACT_DETAILS}

        def contact_details_allowed(self, caller, obj) -> bool:
            # e.g. the client's agency is a named partner lead on the project
            return project_partner_lead_is(project=obj.project, agency=caller.agency)

- Contact details: only to council staff signed in to the site, and to a partner
  agency's client for the records where the serializer's `contact_details_allowed` says
  so (a named partner lead on that project). Never otherwise.
- Equality answers and risk assessment details: never, to anyone, through the API.
"""

from coproduction.accounts.roles import Role

from .callers import ApiCaller, api_caller
from .representation import ApiModelSerializer

CONTACT_DETAILS = "contact_details"
EQUALITY = "equality"
RISK_ASSESSMENT = "risk_assessment"
CATEGORIES = {CONTACT_DETAILS, EQUALITY, RISK_ASSESSMENT}
NEVER_SENT = {EQUALITY, RISK_ASSESSMENT}
CONTACT_STAFF_ROLES = {Role.ADMINISTRATOR, Role.OFFICER}


def category_allowed(*, caller: ApiCaller, category: str) -> bool | None:
    """True or False for the whole response, None when it depends on each record."""
    if category in NEVER_SENT:
        return False
    if category == CONTACT_DETAILS:
        if caller.is_client:
            return None
        return bool(caller.is_authenticated and set(caller.user.roles) & CONTACT_STAFF_ROLES)
    raise ValueError(f"unknown field category {category!r}")


class FieldRulesMixin:
    """Removes fields the caller may never see, and per record the contact details an
    agency's client is not a named lead for."""

    def contact_details_allowed(self, caller: ApiCaller, obj) -> bool:
        return False

    def _caller(self) -> ApiCaller | None:
        request = self.context.get("request")
        if request is None or self._documenting():
            return None
        return api_caller(request)

    def _documenting(self) -> bool:
        """The OpenAPI schema is being generated (with a stand-in view and no caller)."""
        request = self.context.get("request")
        view = self.context.get("view") or (getattr(request, "parser_context", None) or {}).get(
            "view"
        )
        return bool(getattr(view, "swagger_fake_view", False))

    def _sensitive_fields(self) -> dict[str, str]:
        declared = getattr(getattr(self, "Meta", None), "sensitive_fields", {})
        unknown = set(declared.values()) - CATEGORIES
        if unknown:
            raise ValueError(f"{type(self).__name__}: unknown field categories {unknown}")
        return declared

    def get_fields(self) -> dict:
        fields = super().get_fields()
        self._per_record_fields = []
        if self._documenting():
            # The schema documents what some callers get, as optional fields
            # (schema.sensitive_fields_optional), and nothing no caller gets.
            for name, category in self._sensitive_fields().items():
                if category in NEVER_SENT:
                    fields.pop(name, None)
            return fields
        caller = self._caller()
        for name, category in self._sensitive_fields().items():
            allowed = (
                False if caller is None else category_allowed(caller=caller, category=category)
            )
            if allowed is False:
                fields.pop(name, None)
            elif allowed is None and name in fields:
                self._per_record_fields.append(name)
        return fields

    def to_representation(self, instance) -> dict:
        data = super().to_representation(instance)
        per_record = getattr(self, "_per_record_fields", [])
        if per_record and not self.contact_details_allowed(self._caller(), instance):
            for name in per_record:
                data.pop(name, None)
        return data


class RestrictedModelSerializer(FieldRulesMixin, ApiModelSerializer):
    pass
