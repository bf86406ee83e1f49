import django_filters

from communities.models import Area, Asset, PopulationBaseline
from coproduction.api.filters import ApiFilterSet, IdFilter, TextFilter


class AreaFilterSet(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Area.Kind.choices)
    parent = IdFilter(field_name="parent_id")
    code = TextFilter(field_name="gss_code", lookup_expr="iexact", label="GSS code")
    name = TextFilter(lookup_expr="icontains")

    class Meta:
        model = Area
        fields = ["kind", "parent", "code", "name"]


class PopulationBaselineFilterSet(ApiFilterSet):
    area = IdFilter(field_name="area_id")
    area_code = TextFilter(field_name="area__gss_code", lookup_expr="iexact")
    table = TextFilter(field_name="table__table", lookup_expr="iexact")
    census_year = IdFilter(field_name="table__census_year", lowest=1801, highest=2100)
    dimension = TextFilter()
    category = TextFilter()

    class Meta:
        model = PopulationBaseline
        fields = ["area", "area_code", "table", "census_year", "dimension", "category"]


class AssetFilterSet(ApiFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=[c for c in Asset.Kind.choices if c[0] != Asset.Kind.SKILL]
    )
    category = django_filters.ChoiceFilter(choices=Asset.Category.choices)
    status = django_filters.ChoiceFilter(choices=Asset.Status.choices)
    area = IdFilter(field_name="area_id")
    area_code = TextFilter(field_name="area__gss_code", lookup_expr="iexact")
    name = TextFilter(lookup_expr="icontains")

    class Meta:
        model = Asset
        fields = ["kind", "category", "status", "area", "area_code", "name"]
