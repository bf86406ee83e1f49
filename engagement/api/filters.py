import datetime

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from coproduction.api.filters import ApiFilterSet, BooleanFilter, IdFilter, TextFilter
from engagement.models import Event, IssueReport


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, held in UTC: an offset PostgreSQL cannot store (beyond
    a day) or a moment out of range is a 400, not a database error."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            offset = value.utcoffset()
            if offset is not None and abs(offset) >= datetime.timedelta(hours=15):
                raise ValueError
            return value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(
                "Give a date and time with an offset of at most 14 hours."
            ) from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class EventFilterSet(ApiFilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Event.Status.choices)
    area = IdFilter(field_name="area_id")
    area_code = TextFilter(field_name="area__gss_code", lookup_expr="iexact")
    partnership = IdFilter(field_name="partnership_id")
    project = IdFilter(field_name="project_id")
    organising_agency = IdFilter(field_name="organising_agency_id")
    starts_after = UtcDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = UtcDateTimeFilter(field_name="starts_at", lookup_expr="lt")
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


class IssueReportFilterSet(ApiFilterSet):
    state = TextFilter(field_name="state__code", lookup_expr="exact", label="A state's code")
    category = TextFilter(field_name="category__slug", lookup_expr="exact")
    ward = IdFilter(field_name="ward_id")
    is_open = BooleanFilter(field_name="state__is_open")
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = IssueReport
        fields = ["state", "category", "ward", "is_open", "created_after", "created_before"]
