import django_filters

from coproduction.api.filters import ApiFilterSet, IdFilter, TextFilter
from governance.models import (
    Decision,
    PartnerAgency,
    Partnership,
    Priority,
    PriorityCycle,
)


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


class PriorityCycleFilterSet(ApiFilterSet):
    partnership = IdFilter(field_name="partnership_id")
    status = django_filters.ChoiceFilter(choices=PriorityCycle.Status.choices)

    class Meta:
        model = PriorityCycle
        fields = ["partnership", "status"]


class PriorityFilterSet(ApiFilterSet):
    cycle = IdFilter(field_name="cycle_id")
    partnership = IdFilter(field_name="cycle__partnership_id")
    status = django_filters.ChoiceFilter(choices=Priority.Status.choices)
    title = TextFilter(lookup_expr="icontains")

    class Meta:
        model = Priority
        fields = ["cycle", "partnership", "status", "title"]


class DecisionFilterSet(ApiFilterSet):
    partnership = IdFilter(field_name="item__meeting__partnership_id")
    priority = IdFilter(field_name="priority_id")
    outcome = django_filters.ChoiceFilter(choices=Decision.Outcome.choices)

    class Meta:
        model = Decision
        fields = ["partnership", "priority", "outcome"]
