"""The project pages' forms. They check the shape of what was typed; the services in
projects.services check the rules and save."""

from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import CommunityOfInterest
from coproduction.forms import GovukForm, GovukModelForm, VersionedModelForm
from engagement.models import ParticipationLevel
from governance.models import PartnerAgency

from .models import (
    CommissioningAssessment,
    CoproductionForm,
    FundingLine,
    Indicator,
    LadderRung,
    Project,
    ProjectDocument,
    RosterEntry,
    ServiceArea,
)
from .selectors import SEARCH_MIN_LENGTH
from .services import ROLES_FOR_ACCOUNTS, ROLES_FOR_RESIDENTS

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DOCUMENT_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "csv",
    "txt",
    "ppt",
    "pptx",
    "odp",
    "png",
    "jpg",
    "jpeg",
]


class GovukDateField(DateInputField):
    """Day, month and year boxes, with messages that say what to do."""

    def __init__(self, *, label: str, required: bool = True, **kwargs) -> None:
        super().__init__(label=label, required=required, require_all_fields=False, **kwargs)
        noun = str(label).lower()
        self.error_messages["required"] = f"Enter the {noun}"
        self.error_messages["incomplete"] = f"Enter the {noun} as a day, month and year"

    def compress(self, data_list):
        try:
            value = super().compress(data_list)
        except ValidationError:
            raise ValidationError("Enter a real date, for example 27 3 2026") from None
        if value is not None and not (1900 <= value.year <= 2100):
            raise ValidationError("Enter a year between 1900 and 2100")
        return value


class MoneyField(forms.DecimalField):
    """Pounds, typed as people write them: 12000, 12,000 or £12,000.50."""

    def __init__(self, *, label: str, required: bool = True, minimum: str = "0.01", **kwargs):
        super().__init__(
            label=label,
            required=required,
            max_digits=12,
            decimal_places=2,
            min_value=Decimal(minimum),
            widget=forms.TextInput(
                attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}
            ),
            error_messages={
                "required": f"Enter the {str(label).lower()}",
                "invalid": f"Enter the {str(label).lower()} in pounds, like 2500 or 2,500.00",
                "min_value": f"The {str(label).lower()} must be at least £{minimum}",
                "max_digits": f"The {str(label).lower()} is too large",
                "max_decimal_places": "Enter pounds and pence, with at most 2 decimal places",
                "max_whole_digits": f"The {str(label).lower()} is too large",
            },
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "").strip()
        return super().to_python(value)


def _checkboxes(**kwargs) -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(**kwargs)


class ProjectDetailsMixin(forms.Form):
    """The fields shared by registering and editing a project."""

    forms = forms.MultipleChoiceField(
        label=_("Forms of co-production"),
        choices=CoproductionForm.choices,
        widget=_checkboxes(),
        help_text=_("Select all that apply."),
        error_messages={"required": _("Choose at least one form of co-production")},
    )

    LABELS = {
        "service_area": _("Service"),
        "communities": _("Communities of interest (optional)"),
        "partner_agencies": _("Partner agencies (optional)"),
        "mode": _("Individual or collective?"),
        "scale": _("Pilot or whole service?"),
        "ladder_target": _("Participation ladder: the rung the project aims for"),
        "ladder_actual": _("Participation ladder: the rung it has reached"),
    }

    def setup_details(self, *, areas, officers) -> None:
        for name, label in self.LABELS.items():
            self.fields[name].label = label
        self.fields["communities"].help_text = _(
            "Communities defined by who people are, such as older people or carers."
        )
        self.fields["title"].error_messages["required"] = "Enter the project's title"
        self.fields["areas"].queryset = areas
        self.fields["areas"].widget = _checkboxes()
        self.fields["areas"].error_messages["required"] = "Choose at least one area"
        self.fields["areas"].help_text = _("The areas the project serves.")
        self.fields["communities"].queryset = CommunityOfInterest.objects.order_by("name")
        self.fields["communities"].widget = _checkboxes()
        self.fields["communities"].required = False
        self.fields["partner_agencies"].queryset = PartnerAgency.objects.order_by("name")
        self.fields["partner_agencies"].widget = _checkboxes()
        self.fields["partner_agencies"].required = False
        self.fields["service_area"].queryset = ServiceArea.objects.order_by("name")
        self.fields["service_area"].empty_label = "Choose a service"
        self.fields["lead_officer"].queryset = officers
        self.fields["lead_officer"].empty_label = "Choose an officer"
        self.fields["mode"].widget = forms.RadioSelect(choices=Project.Mode.choices)
        self.fields["mode"].help_text = _(
            "Collective: people act together for their community. Individual: each person "
            "co-produces a service for themselves."
        )
        self.fields["scale"].widget = forms.RadioSelect(choices=Project.Scale.choices)
        self.fields["ladder_target"].help_text = _(
            "Arnstein's ladder: where the project means to be. Partnership and above is "
            "citizen power; informing, consultation and placation are tokenism."
        )
        self.fields["ladder_actual"].help_text = _(
            "Where the project really is, once assessed. Below partnership, a project "
            "that claims co-production is flagged as tokenistic."
        )
        self.fields["ladder_actual"].empty_label = None
        self.fields["ladder_actual"].choices = [("", "Not assessed yet"), *LadderRung.choices]
        if self.instance.pk is not None and not self.is_bound:
            self.initial["forms"] = [form.value for form in self.instance.forms]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "The planned end must be on or after the planned start")
        return cleaned


class ProjectCreateForm(ProjectDetailsMixin, GovukModelForm):
    planned_start = GovukDateField(label=_("Planned start"), required=False)
    planned_end = GovukDateField(label=_("Planned end"), required=False)

    class Meta:
        model = Project
        fields = [
            "title",
            "reference",
            "summary",
            "service_area",
            "areas",
            "communities",
            "forms",
            "mode",
            "scale",
            "ladder_target",
            "ladder_actual",
            "lead_officer",
            "partner_agencies",
            "planned_start",
            "planned_end",
        ]
        labels = {"reference": _("Reference (optional)")}
        help_texts = {
            "reference": _("The council's own reference. Leave it empty to be given one."),
            "summary": _("What the project is for and what residents will do."),
        }

    def __init__(self, *args, areas, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].required = False
        self.setup_details(areas=areas, officers=officers)

    def validate_unique(self) -> None:
        # The service refuses a reference that is taken, with the same words.
        pass


class ProjectUpdateForm(ProjectDetailsMixin, VersionedModelForm):
    planned_start = GovukDateField(label=_("Planned start"), required=False)
    planned_end = GovukDateField(label=_("Planned end"), required=False)

    class Meta:
        model = Project
        fields = [
            "title",
            "summary",
            "service_area",
            "areas",
            "communities",
            "forms",
            "mode",
            "scale",
            "ladder_target",
            "ladder_actual",
            "lead_officer",
            "partner_agencies",
            "planned_start",
            "planned_end",
        ]

    def __init__(self, *args, areas, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setup_details(areas=areas, officers=officers)


class PublishForm(GovukForm):
    public_summary = forms.CharField(
        label=_("Summary for the public page"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_(
            "Written for residents. Do not name anyone or include contact details: "
            "the public page shows no personal data."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AdvanceForm(GovukForm):
    to_stage = forms.ChoiceField(choices=Project.Stage.choices, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note for the timeline (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ReasonForm(GovukForm):
    # The stage the page was opened in: a repeated or stale click is refused rather than
    # moving the project back a second time.
    from_stage = forms.ChoiceField(
        choices=Project.Stage.choices, widget=forms.HiddenInput, required=False
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason")},
    )


class SignoffRequestForm(GovukForm):
    summary = forms.CharField(
        label=_("What is the elected member asked to approve?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what residents decided and why the project is ready to move on."),
        error_messages={"required": _("Say what the member is asked to approve")},
    )
    deadline = GovukDateField(label=_("Decision needed by (optional)"), required=False)


class DocumentForm(GovukForm):
    stage = forms.ChoiceField(
        label=_("Stage it is evidence for"),
        choices=[
            (stage.value, stage.label)
            for stage in Project.Stage
            if stage not in {Project.Stage.CLOSED, Project.Stage.STOPPED}
        ],
    )
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=ProjectDocument.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the evidence is")},
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    summary = forms.CharField(
        label=_("What residents decided, or what the document shows"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    decided_on = GovukDateField(label=_("Date decided (optional)"), required=False)
    url = forms.URLField(
        label=_("Link (optional)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, like https://example.org/notes")},
    )
    file = forms.FileField(
        label=_("File (optional)"),
        required=False,
        help_text=_("PDF, Word, Excel, OpenDocument, CSV, text or an image, up to 10 MB."),
        validators=[FileExtensionValidator(DOCUMENT_EXTENSIONS)],
        error_messages={"invalid_extension": _("The file must be a PDF, document or image")},
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file must be smaller than 10 MB")
        return upload


class RosterSearchForm(GovukForm):
    q = forms.CharField(
        label=_("Find a person by name or email"),
        required=False,
        max_length=100,
        help_text=_(
            "Residents who live in the areas you cover, or staff, councillors, board "
            "members and partners working where the project is."
        ),
    )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"].strip()
        if query and len(query) < SEARCH_MIN_LENGTH:
            raise forms.ValidationError(
                _("Enter at least %(count)d characters of a name or email"),
                params={"count": SEARCH_MIN_LENGTH},
            )
        return query


class RosterEntryForm(GovukForm):
    role = forms.ChoiceField(
        label=_("Role on the project"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role")},
    )
    participation_level = forms.ChoiceField(
        label=_("How much do they want to take part?"),
        choices=ParticipationLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how much they want to take part")},
    )
    started_on = GovukDateField(label=_("Start date"))
    ended_on = GovukDateField(label=_("End date (optional)"), required=False)
    hours = forms.DecimalField(
        label=_("Hours given so far"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        initial=0,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": _("Enter the hours given, or 0"),
            "invalid": _("Enter the hours as a number, like 6 or 2.5"),
            "min_value": _("Hours given cannot be negative"),
        },
    )

    def __init__(self, *args, is_resident: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = ROLES_FOR_RESIDENTS if is_resident else set(ROLES_FOR_ACCOUNTS)
        self.fields["role"].choices = [
            (role.value, role.label) for role in RosterEntry.Role if role in allowed
        ]
        if not self.is_bound and "started_on" not in self.initial:
            self.initial["started_on"] = timezone.localdate()


class RosterEntryUpdateForm(RosterEntryForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class FundingLineCreateForm(GovukForm):
    source = forms.ChoiceField(
        label=_("Where is the money from?"),
        choices=FundingLine.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the money is from")},
    )
    amount = MoneyField(label=_("Amount"))
    budget = forms.ModelChoiceField(
        label=_("Devolved budget"),
        queryset=None,
        required=False,
        empty_label="None",
        help_text=_(
            "Needed for an area budget, a councillor's neighbourhood budget or a small grant: "
            "the budget the money comes from."
        ),
    )
    partner_agency = forms.ModelChoiceField(
        label=_("Partner agency (for a partner contribution)"),
        queryset=PartnerAgency.objects.order_by("name"),
        required=False,
        empty_label="None",
    )
    funder_name = forms.CharField(
        label=_("Funder's name (for match funding, or a partner not listed)"),
        max_length=200,
        required=False,
    )
    description = forms.CharField(label=_("What it pays for"), max_length=300, required=False)
    is_grant = forms.BooleanField(
        label=_("This is a grant the council makes to an organisation"),
        required=False,
        help_text=_("Grants are published in the 360Giving open data format."),
    )
    recipient_name = forms.CharField(label=_("Organisation receiving the grant"), required=False)
    recipient_charity_number = forms.CharField(
        label=_("Its charity number (optional)"), max_length=20, required=False
    )
    recipient_company_number = forms.CharField(
        label=_("Its company number (optional)"), max_length=20, required=False
    )
    recipient_org_id = forms.CharField(
        label=_("Another organisation identifier (optional)"),
        max_length=100,
        required=False,
        help_text=_("From org-id.guide, when it has no charity or company number here."),
    )

    def __init__(self, *args, budgets, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget"].queryset = budgets


class FundingLineUpdateForm(GovukForm):
    description = forms.CharField(label=_("What it pays for"), max_length=300, required=False)
    amount = MoneyField(label=_("Amount"))
    spent = MoneyField(label=_("Spent so far"), minimum="0")
    version = forms.IntegerField(widget=forms.HiddenInput)


class IndicatorForm(GovukForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("For example: Calls to the police about anti-social behaviour"),
        error_messages={"required": _("Enter the indicator's name")},
    )
    kind = forms.ChoiceField(
        label=_("What does it measure?"), choices=Indicator.Kind.choices, widget=forms.RadioSelect
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=Indicator.Unit.choices, widget=forms.RadioSelect
    )
    measure = forms.CharField(
        label=_("What one unit is (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: calls a year, residents satisfied, pounds a year."),
    )
    direction = forms.ChoiceField(
        label=_("Which way is better?"),
        choices=Indicator.Direction.choices,
        widget=forms.RadioSelect,
    )
    baseline_value = forms.DecimalField(
        label=_("Baseline"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": _("Enter the baseline"),
            "invalid": _("Enter the baseline as a number"),
        },
    )
    baseline_on = GovukDateField(label=_("Baseline date"))
    target_value = forms.DecimalField(
        label=_("Target (optional)"),
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"invalid": _("Enter the target as a number")},
    )
    target_on = GovukDateField(label=_("Target date (optional)"), required=False)
    source = forms.CharField(
        label=_("Where the figures come from (optional)"), max_length=300, required=False
    )
    reported_by = forms.ModelChoiceField(
        label=_("Reported by a partner agency (optional)"),
        queryset=PartnerAgency.objects.none(),
        required=False,
        empty_label=_("No: the council records the figures"),
        help_text=_(
            "A partner agency on the project that sends the figures through the partner API, "
            "such as the police for anti-social behaviour incidents."
        ),
    )

    def __init__(self, *args, project: Project | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["reported_by"].queryset = project.partner_agencies.order_by("name")

    def clean(self):
        cleaned = super().clean()
        for name in ("baseline_value", "target_value"):
            value = cleaned.get(name)
            if isinstance(value, Decimal) and not value.is_finite():
                self.add_error(name, "Enter a number")
        return cleaned


class IndicatorUpdateForm(IndicatorForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeasurementForm(GovukForm):
    measured_on = GovukDateField(label=_("Date of the reading"))
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={"required": _("Enter the value"), "invalid": _("Enter a number")},
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class AssessmentForm(GovukModelForm):
    assessed_on = GovukDateField(label=_("Date of the assessment"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CommissioningAssessment
        fields = [
            "provider_name",
            "service_part",
            "capacity",
            "capacity_notes",
            "skills",
            "skills_notes",
            "governance",
            "governance_notes",
            "insurance",
            "insurance_notes",
            "risks",
            "risks_notes",
            "can_deliver",
            "decision",
            "decision_reason",
            "assessed_on",
        ]
        labels = {
            "provider_name": _("Community group or organisation assessed"),
            "service_part": _("The service, or the part of it, they could deliver"),
            "capacity": _("Capacity: people and time to deliver it"),
            "capacity_notes": _("Notes on capacity"),
            "skills": _("Skills and training"),
            "skills_notes": _("Notes on skills"),
            "governance": _("Governance: constitution, accountability, safeguarding"),
            "governance_notes": _("Notes on governance"),
            "insurance": _("Insurance: public liability and any other cover needed"),
            "insurance_notes": _("Notes on insurance"),
            "risks": _("Risks: identified and managed"),
            "risks_notes": _("Notes on risks, including tasks only staff may do"),
            "can_deliver": _("How much of the service can the community deliver?"),
            "decision": _("Decision (leave empty while the assessment is in draft)"),
            "decision_reason": _("Reason for the decision"),
        }
        widgets = {
            "capacity": forms.RadioSelect,
            "skills": forms.RadioSelect,
            "governance": forms.RadioSelect,
            "insurance": forms.RadioSelect,
            "risks": forms.RadioSelect,
            "can_deliver": forms.RadioSelect,
            "decision": forms.RadioSelect,
            "service_part": forms.Textarea(attrs={"rows": 3}),
            "capacity_notes": forms.Textarea(attrs={"rows": 2}),
            "skills_notes": forms.Textarea(attrs={"rows": 2}),
            "governance_notes": forms.Textarea(attrs={"rows": 2}),
            "insurance_notes": forms.Textarea(attrs={"rows": 2}),
            "risks_notes": forms.Textarea(attrs={"rows": 2}),
            "decision_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            ("", "No decision yet"),
            *CommissioningAssessment.Decision.choices,
        ]
        for name in CommissioningAssessment.RATED_FIELDS:
            self.fields[name].choices = CommissioningAssessment.Rating.choices
            self.fields[name].error_messages["required"] = "Choose a rating"
        self.fields["can_deliver"].choices = CommissioningAssessment.Capability.choices
        self.fields["provider_name"].error_messages["required"] = (
            "Enter the group or organisation assessed"
        )
        self.fields["service_part"].error_messages["required"] = "Say what they could deliver"
        self.fields["can_deliver"].error_messages["required"] = (
            "Choose how much of the service the community can deliver"
        )
        if self.instance.pk is not None and not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") and not cleaned.get("decision_reason", "").strip():
            self.add_error("decision_reason", "Give the reason for the decision")
        if (
            cleaned.get("can_deliver") == CommissioningAssessment.Capability.NONE
            and cleaned.get("decision") == CommissioningAssessment.Decision.COMMUNITY_DELIVERS
        ):
            self.add_error(
                "decision",
                "The community cannot deliver any of the service, so it cannot be "
                "commissioned to deliver it",
            )
        return cleaned
