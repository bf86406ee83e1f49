from decimal import Decimal, InvalidOperation

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.models import Area
from coproduction.api.field_rules import CONTACT_DETAILS, RestrictedModelSerializer
from coproduction.api.representation import ApiModelSerializer
from governance.models import PartnerAgency
from projects.models import (
    CoproductionForm,
    FundingLine,
    Indicator,
    Measurement,
    Project,
    RosterEntry,
)


class ProjectAreaSerializer(ApiModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "kind", "gss_code"]
        read_only_fields = fields


class ProjectAgencySerializer(ApiModelSerializer):
    class Meta:
        model = PartnerAgency
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class MeasurementSerializer(ApiModelSerializer):
    class Meta:
        model = Measurement
        fields = ["id", "measured_on", "value", "note", "created_at", "updated_at"]
        read_only_fields = fields


class IndicatorSerializer(RestrictedModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True)
    reported_by = ProjectAgencySerializer(
        read_only=True,
        allow_null=True,
        help_text="The agency that posts the readings through the API; null: the council.",
    )
    measurements = MeasurementSerializer(many=True, read_only=True, source="measurement_list")

    class Meta:
        model = Indicator
        fields = [
            "id",
            "project",
            "name",
            "kind",
            "unit",
            "measure",
            "direction",
            "baseline_value",
            "baseline_on",
            "target_value",
            "target_on",
            "source",
            "reported_by",
            "measurements",
            "updated_at",
        ]
        read_only_fields = fields


class LeadOfficerSerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name", read_only=True)
    email = serializers.EmailField(read_only=True)


class RosterCountSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=RosterEntry.Role.choices, read_only=True)
    people = serializers.IntegerField(read_only=True)


class FundingTotalSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=FundingLine.Source.choices, read_only=True)
    committed = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    spent = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


# Worked out once, not per project: the order the roles and sources are listed in, and
# the field that writes an amount of money as FundingTotalSerializer does.
ROLES = tuple(RosterEntry.Role.values)
SOURCES = tuple(FundingLine.Source.values)
MONEY = FundingTotalSerializer().fields["committed"]


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else MONEY.to_representation(amount)


class ProjectSerializer(RestrictedModelSerializer):
    service_area = serializers.CharField(
        source="service_area.name", read_only=True, default=None, allow_null=True
    )
    areas = ProjectAreaSerializer(many=True, read_only=True, source="area_list")
    partner_agencies = ProjectAgencySerializer(
        many=True, read_only=True, source="partner_agency_list"
    )
    forms = serializers.SerializerMethodField(help_text="The forms of co-production it takes.")
    roster_counts = serializers.SerializerMethodField(
        help_text="How many people hold each role on the roster (never who)."
    )
    funding_totals = serializers.SerializerMethodField(
        help_text="Committed money and spend by source, in pounds."
    )
    indicators = IndicatorSerializer(many=True, read_only=True, source="indicator_list")
    lead_officer = serializers.SerializerMethodField(
        help_text="The council's lead officer: only for an agency with a named partner lead "
        "on the project."
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "reference",
            "title",
            "summary",
            "stage",
            "service_area",
            "areas",
            "partner_agencies",
            "forms",
            "mode",
            "scale",
            "planned_start",
            "planned_end",
            "is_published",
            "roster_counts",
            "funding_totals",
            "indicators",
            "lead_officer",
            "updated_at",
        ]
        read_only_fields = fields
        sensitive_fields = {"lead_officer": CONTACT_DETAILS}

    def contact_details_allowed(self, caller, obj: Project) -> bool:
        return bool(getattr(obj, "agency_is_partner_lead", False))

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=CoproductionForm.choices))
    )
    def get_forms(self, project: Project) -> list[str]:
        return [form.value for form in project.forms]

    @extend_schema_field(RosterCountSerializer(many=True))
    def get_roster_counts(self, project: Project) -> list[dict]:
        counts = getattr(project, "roster_by_role", {})
        return [{"role": role, "people": counts[role]} for role in ROLES if role in counts]

    @extend_schema_field(FundingTotalSerializer(many=True))
    def get_funding_totals(self, project: Project) -> list[dict]:
        totals = getattr(project, "funding_by_source", {})
        return [
            {
                "source": source,
                "committed": money(totals[source][0]),
                "spent": money(totals[source][1]),
            }
            for source in SOURCES
            if source in totals
        ]

    @extend_schema_field(LeadOfficerSerializer(allow_null=True))
    def get_lead_officer(self, project: Project) -> dict | None:
        officer = project.lead_officer
        if officer is None:
            return None
        # As LeadOfficerSerializer gives it, without a serializer per project.
        return {"name": officer.full_name, "email": officer.email}


class MeasurementCreateSerializer(serializers.Serializer):
    """A reading the reporting agency posts: `{"measured_on": "2026-09-30", "value": "41"}`."""

    measured_on = serializers.DateField(help_text="The date the figure is for (YYYY-MM-DD).")
    value = serializers.CharField(
        max_length=40, help_text='The figure, as a decimal string ("41", "12.5").'
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate_value(self, value: str) -> Decimal:
        message = "Give the value as a number, e.g. 41 or 12.5."
        try:
            number = Decimal(value.strip())
        except (InvalidOperation, ValueError):
            raise serializers.ValidationError(message) from None
        if not number.is_finite():
            raise serializers.ValidationError(message)
        if abs(number) >= Decimal("1e12"):
            raise serializers.ValidationError("The value is too large (under a trillion).")
        if number != number.quantize(Decimal("0.01")):
            raise serializers.ValidationError("Give the value with at most two decimal places.")
        return number.quantize(Decimal("0.01"))
