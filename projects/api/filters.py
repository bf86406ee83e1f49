import django_filters

from coproduction.api.callers import api_caller
from coproduction.api.filters import ApiFilterSet, BooleanFilter, IdFilter, TextFilter
from projects.models import Indicator, Measurement, Project


class ProjectFilterSet(ApiFilterSet):
    stage = django_filters.ChoiceFilter(choices=Project.Stage.choices)
    area = IdFilter(field_name="areas", distinct=True, label="An area the project is in")
    area_code = TextFilter(field_name="areas__gss_code", lookup_expr="iexact", distinct=True)
    partner_agency = IdFilter(field_name="partner_agencies", distinct=True)
    service_area = TextFilter(field_name="service_area__name", lookup_expr="iexact")
    reference = TextFilter(lookup_expr="iexact")
    title = TextFilter(lookup_expr="icontains")

    class Meta:
        model = Project
        fields = [
            "stage",
            "area",
            "area_code",
            "partner_agency",
            "service_area",
            "reference",
            "title",
        ]


class IndicatorFilterSet(ApiFilterSet):
    project = IdFilter(field_name="project_id")
    kind = django_filters.ChoiceFilter(choices=Indicator.Kind.choices)
    reported_by = IdFilter(field_name="reported_by_id", label="The reporting agency's id")
    mine = BooleanFilter(
        method="filter_mine", label="Only the indicators your agency reports (true/false)"
    )

    class Meta:
        model = Indicator
        fields = ["project", "kind", "reported_by", "mine"]

    def filter_mine(self, queryset, name, value):
        agency = api_caller(self.request).agency
        if value is None:
            return queryset
        if value:
            return queryset.filter(reported_by=agency) if agency else queryset.none()
        return queryset.exclude(reported_by=agency) if agency else queryset


class MeasurementFilterSet(ApiFilterSet):
    measured_from = django_filters.DateFilter(field_name="measured_on", lookup_expr="gte")
    measured_to = django_filters.DateFilter(field_name="measured_on", lookup_expr="lte")

    class Meta:
        model = Measurement
        fields = ["measured_from", "measured_to"]
