import django_filters

from coproduction.api.filters import ApiFilterSet, IdFilter, TextFilter
from governance.models import PartnerAgency, Partnership


class PartnershipFilterSet(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Partnership.Kind.choices)
    area = IdFilter(field_name="area_id")
    area_code = TextFilter(field_name="area__gss_code", lookup_expr="iexact")
    agency = IdFilter(field_name="agencies", distinct=True)
    name = TextFilter(lookup_expr="icontains")

    class Meta:
        model = Partnership
        fields = ["kind", "area", "area_code", "agency", "name"]


class PartnerAgencyFilterSet(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=PartnerAgency.Kind.choices)
    name = TextFilter(lookup_expr="icontains")

    class Meta:
        model = PartnerAgency
        fields = ["kind", "name"]
