import django_filters

from coproduction.api.filters import ApiFilterSet, IdFilter, TextFilter
from engagement.models import Event


class EventFilterSet(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Event.Status.choices)
    area = IdFilter(field_name="area_id")
    area_code = TextFilter(field_name="area__gss_code", lookup_expr="iexact")
    partnership = IdFilter(field_name="partnership_id")
    project = IdFilter(field_name="project_id")
    organising_agency = IdFilter(field_name="organising_agency_id")
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    title = TextFilter(lookup_expr="icontains")

    class Meta:
        model = Event
        fields = [
            "kind",
            "status",
            "area",
            "area_code",
            "partnership",
            "project",
            "organising_agency",
            "starts_after",
            "starts_before",
            "title",
        ]
