from rest_framework import serializers

from communities.models import Area, Asset, PopulationBaseline
from communities.postcodes import postcode_normalise
from coproduction.api.field_rules import CONTACT_DETAILS, RestrictedModelSerializer


class AreaSerializer(RestrictedModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True)
    parent_code = serializers.CharField(source="parent.gss_code", read_only=True, default=None)
    kind_label = serializers.SerializerMethodField(
        help_text="What the council calls this kind of area, e.g. Area Action Partnership."
    )

    class Meta:
        model = Area
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "gss_code",
            "parent",
            "parent_code",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_kind_label(self, area: Area) -> str:
        # The kinds' names are translated once per response, not once per area.
        labels = self.context.get("area_kind_labels")
        if labels is None:
            labels = {value: str(label) for value, label in Area.Kind.choices}
            self.context["area_kind_labels"] = labels
        return area.type_label or labels.get(area.kind, area.kind)


class AreaDetailSerializer(AreaSerializer):
    boundary = serializers.JSONField(
        source="boundary.geometry",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="GeoJSON Polygon or MultiPolygon (WGS84), if known; null otherwise.",
    )

    class Meta(AreaSerializer.Meta):
        fields = [*AreaSerializer.Meta.fields, "boundary"]
        read_only_fields = fields


class PopulationBaselineSerializer(RestrictedModelSerializer):
    area = serializers.PrimaryKeyRelatedField(read_only=True)
    area_code = serializers.CharField(source="area.gss_code", read_only=True)
    table = serializers.CharField(source="table.table", read_only=True, help_text="ONS table id.")
    census_year = serializers.IntegerField(source="table.census_year", read_only=True)
    table_total = serializers.IntegerField(
        source="table.total",
        read_only=True,
        help_text="The table's own total for the area: shares use it, never another's.",
    )

    class Meta:
        model = PopulationBaseline
        fields = [
            "id",
            "area",
            "area_code",
            "table",
            "census_year",
            "dimension",
            "category",
            "count",
            "table_total",
        ]
        read_only_fields = fields


class AssetSerializer(RestrictedModelSerializer):
    """A place or organisation on the community asset register. Its contact person's
    details go only to council staff."""

    area = serializers.PrimaryKeyRelatedField(read_only=True)
    area_code = serializers.CharField(source="area.gss_code", read_only=True)
    run_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    # Often blank, so not a URI the schema could promise.
    website = serializers.CharField(read_only=True)

    class Meta:
        model = Asset
        fields = [
            "id",
            "uuid",
            "kind",
            "category",
            "name",
            "description",
            "area",
            "area_code",
            "latitude",
            "longitude",
            "address",
            "postcode",
            "website",
            "opening_times",
            "capacity",
            "charity_number",
            "company_number",
            "run_by",
            "status",
            "last_verified_on",
            "contact_name",
            "contact_email",
            "contact_phone",
            "updated_at",
        ]
        read_only_fields = fields
        sensitive_fields = {
            "contact_name": CONTACT_DETAILS,
            "contact_email": CONTACT_DETAILS,
            "contact_phone": CONTACT_DETAILS,
        }


class AssetCreateSerializer(serializers.Serializer):
    """A place or organisation your agency adds, in an area your partnerships cover."""

    kind = serializers.ChoiceField(
        choices=[c for c in Asset.Kind.choices if c[0] != Asset.Kind.SKILL]
    )
    category = serializers.ChoiceField(choices=Asset.Category.choices)
    name = serializers.CharField(max_length=200)
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.none(), help_text="The id of an area your partnerships cover."
    )
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False
    )
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=8, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    opening_times = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False)
    charity_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    company_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=Asset.Status.choices, required=False)

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas

    def validate_postcode(self, value: str) -> str:
        # As the officers' asset form: a full UK postcode, in its usual shape, or none.
        if value and postcode_normalise(value) is None:
            raise serializers.ValidationError("Enter a full UK postcode, like NF1 2AB.")
        return postcode_normalise(value) or ""
