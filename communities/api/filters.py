import django_filters

from communities.models import Area, PopulationBaseline


class AreaFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Area.Kind.choices)
    parent = django_filters.NumberFilter(field_name="parent_id", min_value=1)
    code = django_filters.CharFilter(
        field_name="gss_code", lookup_expr="iexact", max_length=9, label="GSS code"
    )
    name = django_filters.CharFilter(lookup_expr="icontains", max_length=200)

    class Meta:
        model = Area
        fields = ["kind", "parent", "code", "name"]


class PopulationBaselineFilterSet(django_filters.FilterSet):
    area = django_filters.NumberFilter(field_name="area_id", min_value=1)
    area_code = django_filters.CharFilter(
        field_name="area__gss_code", lookup_expr="iexact", max_length=9
    )
    table = django_filters.CharFilter(
        field_name="table__table", lookup_expr="iexact", max_length=10
    )
    census_year = django_filters.NumberFilter(field_name="table__census_year", min_value=1801)
    dimension = django_filters.CharFilter(max_length=40)
    category = django_filters.CharFilter(max_length=60)

    class Meta:
        model = PopulationBaseline
        fields = ["area", "area_code", "table", "census_year", "dimension", "category"]
