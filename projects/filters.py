"""The project register's filters (django-filter), shared by the page and its CSV."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from communities.models import Area
from coproduction.accounts.models import User

from .models import CoproductionForm, LadderRung, Project, ServiceArea


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="Title or reference")
    stage = django_filters.ChoiceFilter(
        choices=Project.Stage.choices, label="Stage", empty_label="Any stage"
    )
    area = django_filters.ModelChoiceFilter(
        queryset=Area.objects.none(),
        method="filter_area",
        label="Area",
        empty_label="Any area",
    )
    service_area = django_filters.ModelChoiceFilter(
        queryset=ServiceArea.objects.order_by("name"), label="Service", empty_label="Any service"
    )
    form = django_filters.ChoiceFilter(
        choices=CoproductionForm.choices,
        method="filter_form",
        label="Form of co-production",
        empty_label="Any form",
    )
    ladder = django_filters.ChoiceFilter(
        field_name="ladder_actual",
        choices=LadderRung.choices,
        label="Ladder rung reached",
        empty_label="Any rung",
    )
    tokenistic = django_filters.BooleanFilter(
        method="filter_tokenistic",
        label="Only projects below partnership",
        widget=forms.CheckboxInput,
    )
    lead_officer = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), label="Lead officer", empty_label="Any officer"
    )

    class Meta:
        model = Project
        fields = ["q", "stage", "area", "service_area", "form", "ladder", "lead_officer"]

    def __init__(self, *args, areas: QuerySet[Area], officers: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["area"].queryset = areas
        self.filters["lead_officer"].queryset = officers

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value))

    def filter_area(self, queryset, name, value):
        return queryset.in_areas(Area.objects.filter(pk=value.pk).with_descendants())

    def filter_form(self, queryset, name, value):
        return queryset.filter(**{CoproductionForm(value).value: True})

    def filter_tokenistic(self, queryset, name, value):
        if not value:
            return queryset
        claims = Q()
        for form in CoproductionForm:
            claims |= Q(**{form.value: True})
        return queryset.filter(claims, ladder_actual__lt=LadderRung.PARTNERSHIP)
