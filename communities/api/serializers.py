from rest_framework import serializers

from communities.models import Area, PopulationBaseline
from coproduction.api.field_rules import RestrictedModelSerializer


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
        read_only=True, help_text="GeoJSON Polygon or MultiPolygon (WGS84), if known."
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
