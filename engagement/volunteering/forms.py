"""Forms for volunteers' safety: shape only; the services and the gate hold the rules."""

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.forms import GovukForm, PhoneField
from engagement.forms import INDUCTION_PARTS, PostcodeField
from engagement.models import (
    Incident,
    RiskAssessment,
    RiskAssessmentHazard,
    Toolkit,
    ToolkitItem,
    Volunteer,
)
from engagement.photos import MAX_PHOTOS

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


DATE_HINT = _("For example, 27/3/2026.")
DATETIME_HINT = _("Date and time, for example 27/3/2026 10:00.")


def date_field(label, *, help_text=DATE_HINT, required=True, **kwargs):
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the date"),
            "invalid": _("Enter a real date, like 27/3/2026"),
        },
        **kwargs,
    )


def datetime_field(label, *, help_text=DATETIME_HINT):
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Enter the date and time"),
            "invalid": _("Enter a date and time, like 27/3/2026 10:00"),
        },
    )


def today_text() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


# Tasks ------------------------------------------------------------------------------


class VolunteerTaskForm(GovukForm):
    name = forms.CharField(label=_("Name of the task"), max_length=150)
    description = forms.CharField(
        label=_("What it involves"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_prohibited = forms.TypedChoiceField(
        label=_("Is it a job for the experts, never for volunteers?"),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if volunteers must never do it")},
    )
    instead = forms.CharField(
        label=_("For a job for the experts: what should volunteers do instead?"),
        help_text=_("For example: do not touch it; report it and the council's team removes it."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    report_category = forms.ModelChoiceField(
        label=_("Which kind of problem do residents report it as? (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )
    report_url = forms.URLField(
        label=_("Or a page of the council's website for reporting it (optional)"),
        required=False,
        assume_scheme="https",
    )
    hazards = forms.CharField(
        label=_("Hazards"),
        help_text=_("One a line: sharps, traffic, slips and trips..."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    required_training = forms.ModelMultipleChoiceField(
        label=_("Training volunteers need for it"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minimum_age = forms.IntegerField(
        label=_("Minimum age"),
        min_value=0,
        max_value=99,
        help_text=_("0 for no minimum."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the minimum age as a number, like 16")},
    )
    is_active = forms.BooleanField(label=_("In use"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, categories=None, courses=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report_category"].queryset = categories
        self.fields["required_training"].queryset = courses

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_prohibited") and not (data.get("instead") or "").strip():
            self.add_error("instead", _("Say what volunteers should do instead"))
        return data


# Volunteers: induction, age, emergency contact, training, disclaimer ---------------


class InductionForm(GovukForm):
    inducted_on = date_field(_("Date of the induction"))
    covered = forms.MultipleChoiceField(
        label=_("What did the induction cover?"),
        help_text=_("Select all that apply. Rostering needs all three."),
        choices=INDUCTION_PARTS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select what the induction covered")},
    )
    pack_version = forms.CharField(
        label=_("Version of the volunteer involvement pack (optional)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def covered_flags(self) -> dict[str, bool]:
        covered = set(self.cleaned_data.get("covered") or [])
        return {name: name in covered for name, _label in INDUCTION_PARTS}


AGE_HOW = [
    ("date_of_birth", _("Date of birth")),
    ("year_of_birth", _("Year of birth only")),
    ("confirmed_adult", _("They confirmed they are 18 or over")),
    ("none", _("Not given (remove what is held)")),
]


class AgeForm(GovukForm):
    """The age the safety rules need, as the person gave it for this purpose."""

    how = forms.ChoiceField(
        label=_("What did they tell you?"),
        choices=AGE_HOW,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what they told you")},
    )
    date_of_birth = date_field(
        _("Date of birth (if given)"), required=False, help_text=_("For example, 17/5/1980.")
    )
    year_of_birth = forms.IntegerField(
        label=_("Year of birth (if given)"),
        required=False,
        min_value=1900,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the year of birth as a number, like 1980")},
    )
    basis = forms.ChoiceField(
        label=_("Why it is held (lawful basis)"),
        choices=Volunteer.AgeBasis.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict:
        data = super().clean()
        how = data.get("how")
        if how == "date_of_birth" and not data.get("date_of_birth"):
            self.add_error("date_of_birth", _("Enter the date of birth"))
        if how == "year_of_birth" and not data.get("year_of_birth"):
            self.add_error("year_of_birth", _("Enter the year of birth"))
        if how and how != "none" and not data.get("basis"):
            self.add_error("basis", _("Select why the age is held"))
        return data

    def values(self) -> dict:
        data, how = self.cleaned_data, self.cleaned_data["how"]
        return {
            "date_of_birth": data.get("date_of_birth") if how == "date_of_birth" else None,
            "year_of_birth": data.get("year_of_birth") if how == "year_of_birth" else None,
            "confirmed_adult": how == "confirmed_adult",
            "basis": data.get("basis") or "",
        }


class EmergencyContactForm(GovukForm):
    emergency_contact_name = forms.CharField(
        label=_("Emergency contact's name"), required=False, max_length=150
    )
    emergency_contact_phone = PhoneField(
        label=_("Emergency contact's phone number"), autocomplete=None
    )

    def clean(self) -> dict:
        data = super().clean()
        name, phone = data.get("emergency_contact_name"), data.get("emergency_contact_phone")
        if name and not phone:
            self.add_error("emergency_contact_phone", _("Enter the contact's phone number"))
        if phone and not name:
            self.add_error("emergency_contact_name", _("Enter the contact's name"))
        return data


class TrainingRecordForm(GovukForm):
    course = forms.ModelChoiceField(
        label=_("Training"),
        queryset=None,
        empty_label=_("Choose the training"),
        error_messages={"required": _("Choose the training")},
    )
    completed_on = date_field(_("Date completed"))
    trainer = forms.CharField(
        label=_("Given by"),
        help_text=_("A person or an organisation."),
        max_length=150,
        error_messages={"required": _("Say who gave the training")},
    )
    notes = forms.CharField(label=_("Notes (optional)"), required=False, max_length=255)

    def __init__(self, *args, courses=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


class PaperSignatureForm(GovukForm):
    signed_on = date_field(_("Date they signed the paper disclaimer"))
    signed_name = forms.CharField(
        label=_("Name as signed"),
        max_length=150,
        error_messages={"required": _("Enter the name as signed")},
    )


class DisclaimerSignForm(GovukForm):
    agree = forms.BooleanField(
        label=_("I have read the disclaimer and agree to it"),
        error_messages={"required": _("Tick the box to agree to the disclaimer")},
    )
    signed_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Type your full name to sign")},
    )


# Risk assessments -------------------------------------------------------------------


class RiskAssessmentForm(GovukForm):
    task = forms.ModelChoiceField(
        label=_("Task"),
        queryset=None,
        empty_label=_("Choose the task"),
        error_messages={"required": _("Choose the task")},
    )
    area = forms.ModelChoiceField(
        label=_("Where it applies"),
        help_text=_("An assessment for an area covers every ward in it."),
        queryset=None,
        empty_label=_("Choose an area"),
        error_messages={"required": _("Choose where it applies")},
    )
    site = forms.CharField(
        label=_("A particular site (optional)"),
        help_text=_("For example: Abbey Fields park and the path to the station."),
        required=False,
        max_length=255,
    )
    event = forms.ModelChoiceField(
        label=_("For one event only (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Not for one event"),
    )
    emergency_arrangements = forms.CharField(
        label=_("Emergency arrangements"),
        help_text=_("First aid, who to call, the nearest hospital, how to raise the alarm."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the emergency arrangements")},
    )
    insurance = forms.CharField(
        label=_("Insurance"),
        help_text=_("The cover volunteers have: the policy and what it covers."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Describe the insurance cover")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, tasks=None, areas=None, events=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["area"].queryset = areas
        self.fields["event"].queryset = events
        if editing:
            # The task and the area are what the assessment is of: fixed once drafted.
            del self.fields["task"]
            del self.fields["area"]


class HazardForm(GovukForm):
    hazard = forms.CharField(label=_("Hazard"), max_length=200, required=False)
    who_might_be_harmed = forms.CharField(
        label=_("Who might be harmed, and how"), max_length=255, required=False
    )
    likelihood_before = forms.TypedChoiceField(
        label=_("Likelihood before controls"),
        choices=[("", _("Choose")), *RiskAssessmentHazard.Likelihood.choices],
        coerce=int,
        required=False,
    )
    severity_before = forms.TypedChoiceField(
        label=_("Severity before controls"),
        choices=[("", _("Choose")), *RiskAssessmentHazard.Severity.choices],
        coerce=int,
        required=False,
    )
    controls = forms.CharField(
        label=_("Controls"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    likelihood_after = forms.TypedChoiceField(
        label=_("Likelihood with the controls"),
        choices=[("", _("Choose")), *RiskAssessmentHazard.Likelihood.choices],
        coerce=int,
        required=False,
    )
    severity_after = forms.TypedChoiceField(
        label=_("Severity with the controls"),
        choices=[("", _("Choose")), *RiskAssessmentHazard.Severity.choices],
        coerce=int,
        required=False,
    )

    REQUIRED = {
        "hazard": _("Name the hazard"),
        "who_might_be_harmed": _("Say who might be harmed"),
        "likelihood_before": _("Choose the likelihood before controls"),
        "severity_before": _("Choose the severity before controls"),
        "controls": _("Describe the controls"),
        "likelihood_after": _("Choose the likelihood with the controls"),
        "severity_after": _("Choose the severity with the controls"),
    }

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.REQUIRED)

    def clean(self) -> dict:
        data = super().clean()
        if self.is_blank():
            return data
        for name, message in self.REQUIRED.items():
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        scores = [data.get(n) for n in ("likelihood_before", "severity_before")]
        after = [data.get(n) for n in ("likelihood_after", "severity_after")]
        if all(scores) and all(after) and after[0] * after[1] > scores[0] * scores[1]:
            self.add_error(
                "likelihood_after", _("The risk with the controls cannot be higher than before")
            )
        return data


class BaseHazardFormSet(BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        if all(form.is_blank() for form in self.forms):
            raise forms.ValidationError(_("List at least one hazard"))

    def hazard_inputs(self):
        from .services import HazardInput

        return [
            HazardInput(**{name: form.cleaned_data[name] for name in HazardForm.REQUIRED})
            for form in self.forms
            if form.cleaned_data and not form.is_blank()
        ]


HazardFormSet = formset_factory(HazardForm, formset=BaseHazardFormSet, extra=0, max_num=30)


class ApproveForm(GovukForm):
    review_on = date_field(
        _("Review by"),
        help_text=_("At most a year from today. For example, 27/3/2027."),
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why")},
    )


class AssessmentFilterForm(GovukForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *RiskAssessment.Status.choices]
    )
    task = forms.ModelChoiceField(
        label=_("Task"), required=False, queryset=None, empty_label=_("Any task")
    )

    def __init__(self, *args, tasks=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks


# Activities -------------------------------------------------------------------------


class VolunteerActivityForm(GovukForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    task = forms.ModelChoiceField(
        label=_("Task"),
        queryset=None,
        empty_label=_("Choose the task"),
        error_messages={"required": _("Choose the task")},
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, empty_label=_("Choose an area"))
    site = forms.CharField(label=_("Where"), max_length=255, help_text=_("A name and address."))
    starts_at = datetime_field(_("Starts"))
    ends_at = datetime_field(_("Ends"), help_text=_("For example, 27/3/2026 12:30."))
    event = forms.ModelChoiceField(
        label=_("Public event it is part of (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )
    project = forms.ModelChoiceField(
        label=_("Project (optional)"), queryset=None, required=False, empty_label=_("None")
    )
    group_name = forms.CharField(
        label=_("Group (optional)"),
        help_text=_("For example, Abbey Fields Neighbourhood Action Group."),
        required=False,
        max_length=150,
    )
    lead = forms.ModelChoiceField(
        label=_("Group lead (optional)"),
        help_text=_("They are rostered as its lead, if they pass the same checks."),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )
    toolkit = forms.ModelChoiceField(
        label=_("Toolkit used (optional)"), queryset=None, required=False, empty_label=_("None")
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIXED_WHEN_EDITING = ("task", "area", "event", "project", "lead")

    def __init__(
        self,
        *args,
        tasks=None,
        areas=None,
        events=None,
        projects=None,
        leads=None,
        toolkits=None,
        editing=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["area"].queryset = areas
        self.fields["event"].queryset = events
        self.fields["project"].queryset = projects
        self.fields["lead"].queryset = leads
        self.fields["toolkit"].queryset = toolkits
        if editing:
            for name in self.FIXED_WHEN_EDITING:
                del self.fields[name]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The activity must end after it starts"))
        return data


class RosterAddForm(GovukForm):
    participant = forms.ModelChoiceField(
        label=_("Volunteer"),
        queryset=None,
        empty_label=_("Choose a volunteer"),
        error_messages={"required": _("Choose a volunteer")},
    )

    def __init__(self, *args, candidates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = candidates
        self.fields["participant"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.home_ward.name})" if p.home_ward_id else p.full_name
        )


# Toolkits ---------------------------------------------------------------------------


class ToolkitForm(GovukForm):
    code = forms.CharField(
        label=_("Label"), max_length=30, help_text=_("The code on the kit, e.g. NF-ENV-07.")
    )
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(
        label=_("Kind of kit"), choices=Toolkit.Kind.choices, widget=forms.RadioSelect
    )
    home_area = forms.ModelChoiceField(
        label=_("Area it belongs to"), queryset=None, empty_label=_("Choose an area")
    )
    required_training = forms.ModelChoiceField(
        label=_("Training a holder needs"), queryset=None, empty_label=_("Choose the training")
    )
    in_service = forms.BooleanField(label=_("In service (can be lent)"), required=False)
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, areas=None, courses=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_area"].queryset = areas
        self.fields["required_training"].queryset = courses


class ToolkitItemForm(GovukForm):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        label=_("Item"), choices=[("", _("Choose")), *ToolkitItem.Kind.choices], required=False
    )
    description = forms.CharField(
        label=_("Description (optional)"), max_length=150, required=False
    )
    quantity = forms.IntegerField(
        label=_("How many"),
        min_value=1,
        max_value=999,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    condition = forms.ChoiceField(
        label=_("Condition"), choices=ToolkitItem.Condition.choices, required=False
    )
    remove = forms.BooleanField(label=_("Remove this item"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("remove") or not (data.get("kind") or data.get("quantity")):
            return data
        if not data.get("kind"):
            self.add_error("kind", _("Choose what the item is"))
        if not data.get("quantity"):
            self.add_error("quantity", _("Enter how many"))
        return data

    def item_input(self):
        from .services import ItemInput

        data = self.cleaned_data
        if not data or not (data.get("kind") or data.get("pk")):
            return None
        return ItemInput(
            pk=data.get("pk"),
            kind=data.get("kind") or ToolkitItem.Kind.OTHER,
            quantity=data.get("quantity") or 1,
            condition=data.get("condition") or ToolkitItem.Condition.GOOD,
            description=data.get("description") or "",
            delete=bool(data.get("remove")),
        )


ToolkitItemFormSet = formset_factory(ToolkitItemForm, extra=0, max_num=40)


def _holder_label(person) -> str:
    """A name, their ward, and what they still need before borrowing a kit, if anything."""
    label = person.full_name
    if person.home_ward_id:
        label += f" ({person.home_ward.name})"
    needs = {
        (False, False): _("needs training and to sign the disclaimer"),
        (False, True): _("needs training"),
        (True, False): _("needs to sign the disclaimer"),
    }.get((person.trained, person.signed))
    return f"{label}: {needs}" if needs else label


class LendForm(GovukForm):
    holder = forms.ModelChoiceField(
        label=_("Lend to"),
        help_text=_("They need current training for this kit and to have signed the disclaimer."),
        queryset=None,
        empty_label=_("Choose a person"),
        error_messages={"required": _("Choose who borrows the kit")},
    )
    group_name = forms.CharField(
        label=_("For which group (optional)"), required=False, max_length=150
    )
    lent_on = date_field(_("Handed over on"))
    due_on = date_field(_("Due back on"))

    def __init__(self, *args, holders=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = holders
        self.fields["holder"].label_from_instance = _holder_label

    def clean(self) -> dict:
        data = super().clean()
        if data.get("lent_on") and data.get("due_on") and data["due_on"] < data["lent_on"]:
            self.add_error("due_on", _("The due date must be after the kit is handed over"))
        return data


class LoanReturnForm(GovukForm):
    returned_on = date_field(_("Returned on"))
    notes = forms.CharField(
        label=_("Notes on the return (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, items=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=str(item),
                choices=ToolkitItem.Condition.choices,
                initial=item.condition,
            )

    def conditions(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


# Activity reports and incidents ---------------------------------------------------


class ActivityReportForm(GovukForm):
    task = forms.ModelChoiceField(
        label=_("What did you do?"),
        queryset=None,
        empty_label=_("Choose the task"),
        error_messages={"required": _("Choose what you did")},
    )
    loan = forms.ModelChoiceField(
        label=_("With which kit? (optional)"), queryset=None, required=False, empty_label=_("None")
    )
    done_on = date_field(_("When"))
    place = forms.CharField(
        label=_("Where"),
        help_text=_("For example: the path behind the shops on Elm Road."),
        max_length=255,
        error_messages={"required": _("Say where you did it")},
    )
    postcode = PostcodeField(label=_("Nearest postcode (optional)"), required=False)
    bags_collected = forms.IntegerField(
        label=_("Bags of litter collected"),
        min_value=0,
        max_value=9999,
        initial=0,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the number of bags, like 6")},
    )
    volunteers = forms.IntegerField(
        label=_("How many people took part"),
        min_value=1,
        max_value=999,
        initial=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the number of people, like 4")},
    )
    hours = forms.DecimalField(
        label=_("Hours given in total (optional)"),
        required=False,
        min_value=0,
        max_value=9999,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
    )
    notes = forms.CharField(
        label=_("What you found and did (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    left_for_council = forms.CharField(
        label=_("Anything you left for the council? (optional)"),
        help_text=_("Needles, chemicals, heavy or dumped items: jobs for the experts."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo_1 = forms.FileField(label=_("Photo (optional)"), required=False)
    photo_2 = forms.FileField(label=_("Second photo (optional)"), required=False)
    photo_3 = forms.FileField(label=_("Third photo (optional)"), required=False)
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, tasks=None, loans=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["loan"].queryset = loans
        self.fields["loan"].label_from_instance = lambda loan: str(loan.toolkit)
        for name in self.photo_fields():
            self.fields[name].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"

    @staticmethod
    def photo_fields() -> list[str]:
        return [f"photo_{n}" for n in range(1, MAX_PHOTOS + 1)]

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError(_("The day cannot be in the future"))
        return done_on

    def photo_uploads(self) -> list[tuple[str, object]]:
        """Each photo given, with the name of its field (for an error about it)."""
        return [(n, self.cleaned_data[n]) for n in self.photo_fields() if self.cleaned_data.get(n)]


class IncidentForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("What happened?"),
        choices=Incident.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what happened")},
    )
    occurred_at = datetime_field(_("When"))
    description = forms.CharField(
        label=_("Describe what happened"),
        help_text=_("Where exactly, what was involved, what was done at the time."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe what happened")},
    )
    injury_details = forms.CharField(
        label=_("Injuries (if anyone was hurt)"),
        help_text=_("Only what is needed: who was hurt and how. This is kept confidential."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    first_aid_given = forms.BooleanField(label=_("First aid was given"), required=False)
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == Incident.Kind.ACCIDENT and not data.get("injury_details"):
            self.add_error("injury_details", _("Say who was hurt and how"))
        when = data.get("occurred_at")
        if when and when > timezone.now():
            self.add_error("occurred_at", _("The incident cannot be in the future"))
        return data


class IncidentCloseForm(GovukForm):
    action_taken = forms.CharField(
        label=_("What was done about it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what was done about it")},
    )
