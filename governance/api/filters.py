import django_filters

from governance.models import PartnerAgency, Partnership


class PartnershipFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Partnership.Kind.choices)
    area = django_filters.NumberFilter(field_name="area_id", min_value=1)
    area_code = django_filters.CharFilter(
        field_name="area__gss_code", lookup_expr="iexact", max_length=9
    )
    agency = django_filters.NumberFilter(field_name="agencies", min_value=1, distinct=True)
    name = django_filters.CharFilter(lookup_expr="icontains", max_length=200)

    class Meta:
        model = Partnership
        fields = ["kind", "area", "area_code", "agency", "name"]


class PartnerAgencyFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PartnerAgency.Kind.choices)
    name = django_filters.CharFilter(lookup_expr="icontains", max_length=200)

    class Meta:
        model = PartnerAgency
        fields = ["kind", "name"]
