"""Filters every API list shares, strict where the schema is strict and lenient where it
is not: a value the schema allows never gets a 400, one it forbids never gets through,
and none gets a 500.

- `IdFilter`: a whole 64-bit number; one that no record could have (0, a negative id)
  matches nothing rather than failing; one beyond 64 bits is a 400.
- `TextFilter`: any text; NUL characters (which PostgreSQL cannot compare) are dropped.
- `BooleanFilter`: true or false (1 or 0 too, any case); anything else is a 400, not
  ignored as django-filter's own would (`?mine=yes` listed everything).
- `ApiFilterSet`: a choice or number parameter given empty (`?kind=`) is a 400. A call
  with no parameter but the page and the ordering filters nothing, so builds no form.
- `ApiOrderingFilter`: ordering on the view's explicit fields only, else a 400.
"""

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

# The largest id a BigAutoField holds.
MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT64)
class IdFilter(django_filters.NumberFilter):
    """A whole number, usually a record's id."""

    field_class = forms.IntegerField

    def __init__(self, *args, lowest: int = 1, highest: int = MAX_ID, **kwargs) -> None:
        self.lowest, self.highest = lowest, highest
        # The schema says int64: beyond it is a 400, within it but out of range matches
        # nothing.
        kwargs.setdefault("min_value", -MAX_ID - 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return None

    def filter(self, qs, value):
        if value is not None and not self.lowest <= value <= self.highest:
            return qs.none()
        return super().filter(qs, value)


class AnyTextField(forms.CharField):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\x00", "") if isinstance(value, str) else value


class TextFilter(django_filters.CharFilter):
    field_class = AnyTextField


class TrueOrFalseField(forms.Field):
    widget = forms.TextInput
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError("Give true or false.", code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(django_filters.BooleanFilter):
    field_class = TrueOrFalseField


class ApiFilterSet(django_filters.FilterSet):
    """Refuses a parameter given with no value, unless it is free text: `?kind=` is a
    mistake to point out, not a filter to drop silently."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
    }
    # The list's own parameters, which no filter reads (see ApiPageNumberPagination and
    # ApiOrderingFilter).
    LIST_PARAMETERS = frozenset({"page", "page_size", "ordering"})

    def filters_given(self) -> bool:
        """Whether any parameter may be a filter's. Without one, each filter gets its
        empty value and passes the list through unchanged: the form that would say so
        is not worth building on every call."""
        return self.data is None or not self.data.keys() <= self.LIST_PARAMETERS

    @property
    def qs(self):
        if not hasattr(self, "_qs") and not self.filters_given():
            self._qs = self.queryset.all()
        return super().qs

    def is_valid(self) -> bool:
        if not self.filters_given():
            return True
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            if isinstance(filter_, django_filters.CharFilter):
                continue
            if name in self.data and self.data.get(name, None) == "":
                self.form.add_error(name, "Give a value, or leave the parameter out.")
                valid = False
        return valid


class ApiOrderingFilter(OrderingFilter):
    """`?ordering=name,-updated_at` on the view's `ordering_fields` only; anything else
    is a 400 that lists what may be used."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params is None:
            return self.get_default_ordering(view)
        fields = [param.strip() for param in params.split(",")]
        context = {"request": request}
        allowed = {name for name, _label in self.get_valid_fields(queryset, view, context)}
        if not allowed:
            raise ValidationError(
                {self.ordering_param: ["This list comes in a fixed order: leave ordering out."]}
            )
        invalid = [term for term in fields if not term or term.lstrip("-") not in allowed]
        if invalid:
            raise ValidationError(
                {
                    self.ordering_param: [
                        "Order by one or more of: "
                        + ", ".join(sorted(allowed))
                        + " (with - before a field for descending order)."
                    ]
                }
            )
        return fields

    def get_schema_operation_parameters(self, view) -> list[dict]:
        names = getattr(view, "ordering_fields", None) or []
        if not names:
            # A list in a fixed order (get_ordering refuses the parameter).
            return []
        allowed = sorted({*names, *(f"-{name}" for name in names)})
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Order by one of these fields (- for descending).",
                "schema": {"type": "string", "enum": allowed},
            }
        ]
