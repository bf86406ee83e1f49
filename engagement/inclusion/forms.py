from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone

from communities import census
from coproduction.forms import GovukForm

from .population import age_bands
from .services import MAX_MONTHS, add_months, month_start


def month_choices() -> list[tuple[str, str]]:
    this_month = month_start(timezone.localdate())
    months = [add_months(this_month, -offset) for offset in range(MAX_MONTHS + 12)]
    return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]


def _month(value: str) -> date:
    year, month = value.split("-")
    return date(int(year), int(month), 1)


class ReportRequestForm(GovukForm):
    scope = forms.ChoiceField(
        label="What is the report about?",
        help_text="An area or ward, a project, a partnership, a priority cycle or a series "
        "of events. Only those in your areas are listed.",
        error_messages={
            "required": "Choose what the report is about.",
            "invalid_choice": "Choose what the report is about from the list: it holds only "
            "what is in your areas.",
        },
    )
    start = forms.ChoiceField(
        label="From (month)",
        error_messages={
            "required": "Choose the first month.",
            "invalid_choice": "Choose the first month from the list.",
        },
    )
    end = forms.ChoiceField(
        label="To (month)",
        help_text="The months are included in full; a month not yet over is counted up to "
        "the day the report is made.",
        error_messages={
            "required": "Choose the last month.",
            "invalid_choice": "Choose the last month from the list.",
        },
    )
    minimum_age = forms.IntegerField(
        label="Youngest age counted",
        min_value=0,
        max_value=100,
        initial=16,
        help_text="The census population is limited to people of this age and older.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            "Enter the youngest age counted as a whole number from 0 to 100.",
        ),
    )

    def __init__(self, *args, scope_choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [("", "Choose…"), *scope_choices]
        months = month_choices()
        self.fields["start"].choices = months
        self.fields["end"].choices = months
        this_month = month_start(timezone.localdate())
        last = add_months(this_month, -1)
        self.fields["end"].initial = f"{last:%Y-%m}"
        self.fields["start"].initial = f"{add_months(last, -11):%Y-%m}"

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            data["start_date"] = _month(data["start"])
            data["end_date"] = _month(data["end"])
            if data["end_date"] < data["start_date"]:
                self.add_error("end", "The last month must be the same as or after the first.")
        return data


def target_group_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups = [
        ("Age", [(f"age:{band.code}", band.label) for band in age_bands(16)]),
    ]
    for code in (
        "sex",
        "gender_identity",
        "sexual_orientation",
        "ethnic_group",
        "disability",
        "religion",
    ):
        dim = census.dimension(code)
        options = []
        for category in dim.categories:
            if category.code == census.NOT_ANSWERED:
                continue
            label = category.label
            if category.parent:
                label = f"{dim.category(category.parent).label}: {label}"
            options.append((f"{code}:{category.code}", label))
        groups.append((dim.label, options))
    return groups


class TargetForm(GovukForm):
    area = forms.ChoiceField(
        label="Where the target applies",
        help_text="The whole programme, or an area and everything in it.",
        required=False,
    )
    group = forms.ChoiceField(label="Group")
    minimum_percent = forms.DecimalField(
        label="Minimum share of participants (%)",
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "0.1"}),
    )
    maximum_percent = forms.DecimalField(
        label="Maximum share of participants (%)",
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "0.1"}),
    )
    note = forms.CharField(label="Why this target (optional)", required=False, max_length=255)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, areas, editing: bool = False, allow_programme: bool = True, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        # Only people who cover the whole council may set a band for all of it.
        first = ("", "The whole programme") if allow_programme or editing else ("", "Choose…")
        self.fields["area"].required = not (allow_programme or editing)
        self.fields["area"].error_messages["required"] = "Choose one of your areas."
        self.fields["area"].choices = [first] + [
            (str(a.pk), f"{a.name} ({a.kind_label})") for a in areas
        ]
        self.fields["group"].choices = [("", "Choose…"), *target_group_choices()]
        if editing:
            self.fields["area"].disabled = True
            self.fields["group"].disabled = True

    def clean(self):
        data = super().clean()
        if self.editing and data.get("version") is None:
            # Without the version it was read at, an edit could silently overwrite one
            # made meanwhile.
            raise forms.ValidationError(
                "This page is out of date: open the target again and make your changes."
            )
        low, high = data.get("minimum_percent"), data.get("maximum_percent")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_percent", "The maximum must be at least the minimum.")
        return data
