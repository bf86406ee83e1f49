"""Forms of the engagement app: shape only; the services hold the rules."""

from crispy_forms.layout import Layout
from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Fieldset
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities import census
from communities.models import Area
from communities.postcodes import postcode_locate, postcode_normalise
from coproduction.forms import GovukForm, PhoneField
from coproduction.numbers import whole_number

from .locations import ward_for_point
from .models import (
    Channel,
    Event,
    EventFeedback,
    IssueCategory,
    ParticipationLevel,
    StreetChampion,
)
from .photos import MAX_PHOTOS
from .services import EqualityAnswers

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# What an induction covers (Halton's volunteer involvement pack): the gate needs all three.
INDUCTION_PARTS = [
    ("pack_acknowledged", _("The volunteer involvement pack, read and acknowledged")),
    ("emergency_procedures_covered", _("Emergency procedures: what to do and whom to call")),
    ("role_boundaries_covered", _("The boundaries of the role: what volunteers do and do not do")),
]


# What each level means for the person, under its name: "consult" and "involve" are the
# council's words, not a resident's.
PARTICIPATION_LEVEL_HINTS = {
    ParticipationLevel.INFORMED: _("We tell you what is happening and what has been decided."),
    ParticipationLevel.CONSULTED: _(
        "We also ask your views, in surveys or at meetings, before things are decided."
    ),
    ParticipationLevel.INVOLVED: _(
        "You also work with us on plans and projects, and help at events."
    ),
    ParticipationLevel.LEADING: _(
        "You run activities or a group, or help make decisions, with the council's support."
    ),
}


def participation_level_choices() -> list[Choice]:
    return [
        Choice(level.value, level.label, hint=PARTICIPATION_LEVEL_HINTS[level])
        for level in ParticipationLevel
    ]


def ward_choices(wards) -> list[tuple[str, str]]:
    return [("", _("Choose an area"))] + [(str(w.pk), w.name) for w in wards]


def _ward_queryset():
    return Area.objects.filter(kind=Area.Kind.WARD).order_by("name")


class PostcodeField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        normalised = postcode_normalise(value)
        if normalised is None:
            raise forms.ValidationError(_("Enter a full UK postcode, like DL1 5QT"))
        return normalised


# Street champion sign-up: one question page per form ----------------------------


class PhoneContactMixin:
    """Phone chosen as a way to contact someone asks for the number. Checked when either
    answer is given or changed, so a record kept from before still saves other edits."""

    def clean(self) -> dict:
        data = super().clean()
        chosen = Channel.PHONE in (data.get("preferred_channels") or [])
        touched = {"phone", "preferred_channels"} & set(self.changed_data)
        if chosen and touched and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Enter a phone number to be contacted by phone"))
        return data


ADDRESS_FIELDS = ("address_line_1", "address_line_2", "address_town")


class PostContactMixin(forms.Form):
    """Post chosen as a way to contact someone asks for the postal address (the GOV.UK
    address pattern: lines, town and postcode), checked like PhoneContactMixin's number.
    A form without a postcode field leaves the postcode to the page that asks for it."""

    address_line_1 = forms.CharField(
        label=_("Address line 1"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line_2 = forms.CharField(
        label=_("Address line 2 (optional)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    address_town = forms.CharField(
        label=_("Town or city"),
        max_length=60,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "address-level2", "class": "govuk-!-width-two-thirds"}
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The address follows the question it depends on, on the page and so in the error
        # summary, which lists the fields' errors in the fields' order.
        names = [n for n in self.fields if n not in ADDRESS_FIELDS]
        at = names.index("preferred_channels") + 1
        before, after = names[:at], names[at:]
        self.order_fields([*before, *ADDRESS_FIELDS, *after])
        self.helper.layout = Layout(
            *before,
            Fieldset(
                *ADDRESS_FIELDS,
                legend=_("Postal address (needed only to be contacted by post)"),
                legend_size="s",
            ),
            *after,
        )

    def clean(self) -> dict:
        data = super().clean()
        chosen = Channel.POST in (data.get("preferred_channels") or [])
        touched = {*ADDRESS_FIELDS, "postcode", "preferred_channels"} & set(self.changed_data)
        if not (chosen and touched):
            return data
        needed = {
            "address_line_1": _("Enter the first line of the address to be contacted by post"),
            "address_town": _("Enter the town or city to be contacted by post"),
            "postcode": _("Enter the postcode to be contacted by post"),
        }
        for name, message in needed.items():
            if name in self.fields and not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data


class ChampionContactForm(PhoneContactMixin, PostContactMixin, GovukForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": _("Enter your full name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will send you a link to confirm it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    phone = PhoneField(label=_("Phone number (optional)"))
    preferred_channels = forms.MultipleChoiceField(
        label=_("How should we contact you?"),
        help_text=_("Select all that apply."),
        choices=[(c.value, c.label) for c in Channel if c != Channel.ONLINE],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one way to contact you")},
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class ChampionPostcodeForm(GovukForm):
    postcode = PostcodeField(
        label=_("Your postcode"), error_messages={"required": _("Enter your postcode")}
    )
    ward = forms.TypedChoiceField(
        label=_("Your area (if we cannot find your postcode)"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = ward_choices(_ward_queryset())

    def clean(self) -> dict:
        data = super().clean()
        postcode = data.get("postcode")
        if postcode and not data.get("ward"):
            found = postcode_locate(postcode=postcode)
            if found is None or found.ward is None:
                self.add_error(
                    "ward", _("We could not find that postcode: choose your area from the list")
                )
        return data


class ChampionPatchForm(GovukForm):
    patch = forms.CharField(
        label=_("Which streets or places will you look after?"),
        help_text=_("For example: Elm Road, Ash Grove and the play area on Oak Street."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the streets or places you will look after")},
    )


class ChampionActivitiesForm(GovukForm):
    activities = forms.MultipleChoiceField(
        label=_("What would you like to do?"),
        help_text=_("Select all that apply."),
        choices=StreetChampion.Activity.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one thing you would like to do")},
    )
    wants_newsletter = forms.TypedChoiceField(
        label=_("Would you like the street champions' newsletter?"),
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if you would like the newsletter")},
    )


class ChampionLevelForm(GovukForm):
    participation_level = forms.ChoiceField(
        label=_("How involved would you like to be in your area's decisions?"),
        choices=participation_level_choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how involved you would like to be")},
    )
    accessibility_needs = forms.CharField(
        label=_("Anything we should know to make taking part easier for you? (optional)"),
        help_text=_(
            "For example: step-free access, large print, a British Sign Language interpreter."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _choices(dimension_code: str) -> list[tuple[str, str]]:
    return [("", _("Not answered")), *census.dimension(dimension_code).answer_choices()]


def _ethnic_choices() -> list:
    dimension = census.dimension("ethnic_group")
    groups = []
    for top in dimension.top_level:
        leaves = [
            (c.code, c.label) for c in dimension.leaves if dimension.roll_up(c.code) == top.code
        ]
        groups.append((top.label, leaves))
    return [
        ("", _("Not answered")),
        *groups,
        (census.PREFER_NOT_TO_SAY, census.PREFER_NOT_TO_SAY_LABEL),
    ]


class EqualityForm(GovukForm):
    """The census-aligned equality questions: every one optional."""

    year_of_birth = forms.IntegerField(
        label=_("What is your year of birth? (optional)"),
        help_text=_("For example, 1968."),
        required=False,
        min_value=1900,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={"invalid": _("Enter your year of birth as a number, like 1968")},
    )
    age_prefer_not_to_say = forms.BooleanField(
        label=_("I prefer not to say my age"), required=False
    )
    sex = forms.ChoiceField(label=_("What is your sex? (optional)"), required=False)
    gender_identity = forms.ChoiceField(
        label=_(
            "Is the gender you identify with the same as your sex registered at birth? (optional)"
        ),
        required=False,
    )
    sexual_orientation = forms.ChoiceField(
        label=_("Which of the following best describes your sexual orientation? (optional)"),
        required=False,
    )
    ethnic_group = forms.ChoiceField(
        label=_("What is your ethnic group? (optional)"), required=False
    )
    has_condition = forms.ChoiceField(
        label=_(
            "Do you have any physical or mental health conditions or illnesses lasting or "
            "expected to last 12 months or more? (optional)"
        ),
        required=False,
        choices=[
            ("", _("Not answered")),
            ("yes", _("Yes")),
            ("no", _("No")),
            (census.PREFER_NOT_TO_SAY, census.PREFER_NOT_TO_SAY_LABEL),
        ],
    )
    limited = forms.ChoiceField(
        label=_(
            "If yes: do any of your conditions or illnesses reduce your ability to carry out "
            "day-to-day activities? (optional)"
        ),
        required=False,
        choices=[
            ("", _("Not answered")),
            ("a_lot", _("Yes, a lot")),
            ("a_little", _("Yes, a little")),
            ("not_at_all", _("Not at all")),
            (census.PREFER_NOT_TO_SAY, census.PREFER_NOT_TO_SAY_LABEL),
        ],
    )
    religion = forms.ChoiceField(label=_("What is your religion? (optional)"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sex", "gender_identity", "sexual_orientation", "religion"):
            self.fields[name].choices = _choices(name)
        self.fields["ethnic_group"].choices = _ethnic_choices()

    def clean_year_of_birth(self):
        year = self.cleaned_data.get("year_of_birth")
        this_year = timezone.localdate().year
        if year is not None and year > this_year:
            raise forms.ValidationError(
                _("Your year of birth must be %(year)s or earlier"), params={"year": this_year}
            )
        return year

    def answers(self) -> EqualityAnswers:
        data = self.cleaned_data
        return EqualityAnswers(
            year_of_birth=None if data.get("age_prefer_not_to_say") else data.get("year_of_birth"),
            age_prefer_not_to_say=bool(data.get("age_prefer_not_to_say")),
            sex=data.get("sex", ""),
            gender_identity=data.get("gender_identity", ""),
            sexual_orientation=data.get("sexual_orientation", ""),
            ethnic_group=data.get("ethnic_group", ""),
            disability=census.disability_from_questions(
                has_condition=data.get("has_condition", ""), limited=data.get("limited", "")
            ),
            religion=data.get("religion", ""),
        )

    @classmethod
    def initial_from(cls, response) -> dict:
        if response is None:
            return {}
        initial = {
            name: getattr(response, name)
            for name in (
                "year_of_birth",
                "age_prefer_not_to_say",
                "sex",
                "gender_identity",
                "sexual_orientation",
                "ethnic_group",
                "religion",
            )
        }
        disability = response.disability
        if disability == census.PREFER_NOT_TO_SAY:
            initial["has_condition"] = census.PREFER_NOT_TO_SAY
        elif disability == "not_disabled_no_condition":
            initial["has_condition"] = "no"
        elif disability:
            initial["has_condition"] = "yes"
            initial["limited"] = {
                "disabled_limited_a_lot": "a_lot",
                "disabled_limited_a_little": "a_little",
                "not_disabled_condition_not_limited": "not_at_all",
            }.get(disability, "")
        return initial


class ChampionEqualityForm(EqualityForm):
    equality_consent = forms.TypedChoiceField(
        label=_("Would you like to answer these questions?"),
        choices=[
            ("yes", _("Yes, use my answers to check who takes part")),
            ("no", _("No, skip them")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )

    field_order = ["equality_consent"]

    def clean(self) -> dict:
        data = super().clean()
        # Answers given with neither yes nor no chosen are asked about, not dropped.
        if data.get("equality_consent") is None and not self.answers().is_blank:
            self.add_error(
                "equality_consent",
                _("Select yes to let us use your answers, or no to skip these questions"),
            )
        return data


class ChampionConsentForm(GovukForm):
    agree = forms.BooleanField(
        label=_("I agree that the council keeps my details to run the street champions scheme"),
        error_messages={
            "required": _("Confirm that you agree, or you cannot be a street champion")
        },
    )


CHAMPION_STEPS = [
    ("contact", _("Your contact details"), ChampionContactForm),
    ("postcode", _("Where you live"), ChampionPostcodeForm),
    ("patch", _("Your patch"), ChampionPatchForm),
    ("activities", _("What you would like to do"), ChampionActivitiesForm),
    ("level", _("How involved you would like to be"), ChampionLevelForm),
    ("equality", _("Equality monitoring (optional)"), ChampionEqualityForm),
    ("consent", _("Your agreement"), ChampionConsentForm),
]


# Issue reports ------------------------------------------------------------------------


class ReportWhereForm(GovukForm):
    category = forms.ModelChoiceField(
        label=_("What is the problem?"),
        queryset=IssueCategory.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Select what the problem is")},
    )
    postcode = PostcodeField(label=_("Postcode nearest the problem (optional)"), required=False)
    location_description = forms.CharField(
        label=_("Describe where it is (optional)"),
        help_text=_("For example: the alley behind 12 Elm Road, by the bus stop."),
        required=False,
        max_length=255,
    )
    ward = forms.TypedChoiceField(
        label=_("Area (if you have no postcode or point on the map)"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    latitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, categories=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda c: c.name
        self.fields["ward"].choices = ward_choices(_ward_queryset())

    def clean(self) -> dict:
        data = super().clean()
        point = data.get("latitude") is not None and data.get("longitude") is not None
        if not (point or data.get("postcode") or data.get("location_description")):
            if "postcode" not in self.errors:
                # At the first place to say where, not above the question answered.
                self.add_error(
                    "postcode",
                    _("Give a postcode or describe where the problem is (or place it on the map)"),
                )
            return data
        located = data.get("postcode") and postcode_locate(postcode=data["postcode"])
        if not (located and located.ward) and not data.get("ward"):
            if data.get("postcode") and not point:
                self.add_error(
                    "ward",
                    _("We could not find that postcode: choose the area the problem is in"),
                )
            elif not point:
                self.add_error("ward", _("Choose the area the problem is in"))
            elif not ward_for_point(
                latitude=float(data["latitude"]), longitude=float(data["longitude"])
            ):
                # Asked here, not refused once the details and photos are typed.
                self.add_error(
                    "ward",
                    _(
                        "We cannot tell which area that point on the map is in: "
                        "choose the area the problem is in"
                    ),
                )
        return data


class ReportDetailsForm(GovukForm):
    description = forms.CharField(
        label=_("Describe the problem"),
        help_text=_("What is there, how much, and anything the team should know to find it."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Describe the problem")},
    )
    photo_1 = forms.FileField(label=_("Photo (optional)"), required=False)
    photo_2 = forms.FileField(label=_("Second photo (optional)"), required=False)
    photo_3 = forms.FileField(label=_("Third photo (optional)"), required=False)
    anonymous = forms.BooleanField(
        label=_("Do not show my name on the public report"), required=False
    )
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send you an email each time the report's status changes."),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, signed_in: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        for name in ("photo_1", "photo_2", "photo_3"):
            self.fields[name].widget.attrs["accept"] = "image/jpeg,image/png,image/webp"
        if signed_in:
            del self.fields["full_name"]
            del self.fields["email"]

    def clean(self) -> dict:
        data = super().clean()
        if not self.signed_in:
            if not data.get("full_name"):
                self.add_error("full_name", _("Enter your name"))
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Enter your email address"))
        return data

    def photo_uploads(self) -> list[tuple[str, object]]:
        """Each photo given, with the name of its field (for an error about it)."""
        return [
            (f"photo_{n}", self.cleaned_data[f"photo_{n}"])
            for n in range(1, MAX_PHOTOS + 1)
            if self.cleaned_data.get(f"photo_{n}")
        ]


class ReportTransitionForm(GovukForm):
    state = forms.ModelChoiceField(
        label=_("New status"),
        queryset=None,
        empty_label=None,
        error_messages={"required": _("Select the new status")},
    )
    note = forms.CharField(
        label=_("Update for the reporter (optional)"),
        help_text=_("They see this on the report's page and in their email."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, states=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].queryset = states
        self.fields["state"].label_from_instance = lambda s: s.label


class ReportMergeForm(GovukForm):
    into = forms.CharField(
        label=_("Reference of the report it duplicates"),
        help_text=_("For example, R000123."),
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"required": _("Enter the reference of the earlier report")},
    )

    def clean_into(self) -> int:
        value = whole_number(self.cleaned_data["into"].strip().upper().lstrip("R"))
        if value is None:
            raise forms.ValidationError(_("Enter a reference like R000123"))
        return value


class ReportTeamForm(GovukForm):
    team = forms.ModelChoiceField(
        label=_("Area team"), queryset=None, empty_label=_("Choose a team")
    )


class ReportBulkForm(GovukForm):
    reports = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Select at least one report")},
    )
    state = forms.ModelChoiceField(
        label=_("Change status to"), queryset=None, required=False, empty_label=_("Keep status")
    )
    team = forms.ModelChoiceField(
        label=_("Assign to team"), queryset=None, required=False, empty_label=_("Keep team")
    )
    note = forms.CharField(
        label=_("Update for the reporters (optional)"), required=False, max_length=2000
    )

    def __init__(self, *args, reports=None, states=None, teams=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports
        self.fields["state"].queryset = states
        self.fields["state"].label_from_instance = lambda s: s.label
        self.fields["team"].queryset = teams
        # The reports are the queue's checkboxes, not hidden inputs repeating them.
        self.helper.layout = Layout("state", "team", "note")

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("state") and not data.get("team"):
            raise forms.ValidationError(_("Choose a new status or a team"))
        return data


class ReportFilterForm(GovukForm):
    """The queue's filters (GET): unknown values are ignored, never a 500."""

    state = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Problem"), required=False)
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    champion = forms.BooleanField(label=_("Street champions' reports only"), required=False)

    def __init__(self, *args, states=(), categories=(), areas=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Open (any)")), ("all", _("Any status"))] + [
            (s.code, s.label) for s in states
        ]
        self.fields["category"].choices = [("", _("Any"))] + [(c.slug, c.name) for c in categories]
        self.fields["area"].choices = [("", _("All your areas"))] + [
            (str(a.pk), a.name) for a in areas
        ]


# Champions (officers) -----------------------------------------------------------------


class ChampionInductionForm(GovukForm):
    inducted_on = forms.DateField(
        label=_("Date of induction"),
        help_text=_(
            "The volunteer involvement pack was gone through on this day. For example, 27/3/2026."
        ),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": _("Enter the date of the induction"),
            "invalid": _("Enter a real date, like 27/3/2026"),
        },
    )
    covered = forms.MultipleChoiceField(
        label=_("What did the induction cover?"),
        help_text=_("Select all that apply. Rostering needs all three."),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select what the induction covered")},
    )
    kit_issued = forms.CharField(
        label=_("Kit handed over (optional)"),
        help_text=_("For example: litter picker, hoop, hi-vis vest, 20 recycling bags."),
        required=False,
        max_length=500,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["covered"].choices = INDUCTION_PARTS

    def covered_flags(self) -> dict[str, bool]:
        covered = set(self.cleaned_data.get("covered") or [])
        return {name: name in covered for name, _label in INDUCTION_PARTS}


class ChampionStatusForm(GovukForm):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=255)


# Events -------------------------------------------------------------------------------


class EventForm(GovukForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of event"), choices=Event.Kind.choices)
    description = forms.CharField(
        label=_("Description (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        help_text=_("Date and time, for example 27/3/2026 10:00."),
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
        error_messages={"invalid": _("Enter a date and time, like 27/3/2026 10:00")},
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        help_text=_("For example 27/3/2026 12:30."),
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
        error_messages={"invalid": _("Enter a date and time, like 27/3/2026 12:30")},
    )
    place = forms.CharField(label=_("Where"), max_length=255, help_text=_("A name and address."))
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, empty_label=_("Choose an area"))
    capacity = forms.IntegerField(
        label=_("Places (optional)"),
        required=False,
        min_value=1,
        help_text=_("Leave blank for no limit."),
    )
    registration_open = forms.BooleanField(
        label=_("The public can register on the event's page"), required=False
    )

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The event must end after it starts"))
        return data


class EventRegistrationForm(GovukForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter your full name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    phone = PhoneField(label=_("Phone number (optional)"))
    postcode = PostcodeField(
        label=_("Postcode (optional)"),
        required=False,
        help_text=_("Helps the council see which neighbourhoods take part."),
    )
    accessibility_needs = forms.CharField(
        label=_(
            "Anything the organisers should know to make it easier for you to take part? "
            "(optional)"
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WalkInForm(GovukForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": _("Enter the person's name")},
    )
    email = forms.EmailField(label=_("Email address (optional)"), required=False)
    postcode = PostcodeField(label=_("Postcode (optional)"), required=False)


class CheckInForm(GovukForm):
    code = forms.CharField(
        label=_("Check-in code"),
        help_text=_("The organiser gives it out at the event."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the check-in code")},
    )


class FeedbackForm(GovukForm):
    rating = forms.TypedChoiceField(
        label=_("Overall, how was the event?"),
        choices=EventFeedback.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the event was")},
    )
    went_well = forms.CharField(
        label=_("What went well? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    could_be_better = forms.CharField(
        label=_("What could be better? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)


# People -------------------------------------------------------------------------------


class ParticipantDetailsForm(PhoneContactMixin, PostContactMixin, GovukForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter the full name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = PhoneField(label=_("Phone number (optional)"))
    postcode = PostcodeField(label=_("Postcode"), required=False)
    participation_level = forms.ChoiceField(
        label=_("How involved would you like to be?"),
        choices=participation_level_choices,
        widget=forms.RadioSelect,
    )
    preferred_channels = forms.MultipleChoiceField(
        label=_("How should we contact you?"),
        required=False,
        choices=[(c.value, c.label) for c in Channel if c != Channel.ONLINE],
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility_needs = forms.CharField(
        label=_("Access needs (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ConfirmDeleteForm(GovukForm):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone"),
        error_messages={"required": _("Confirm that you understand this cannot be undone")},
    )


class ParticipationImportForm(GovukForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Up to 20 MB, saved as CSV UTF-8."),
        error_messages={"required": _("Choose a CSV file")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file must be 20 MB or smaller"))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("The file must be a CSV file"))
        return upload
