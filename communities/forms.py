import json
import math

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Case, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduction.forms import GovukForm, GovukModelForm, PhoneField, VersionedModelForm

from . import census
from .models import CATEGORIES_BY_KIND, Area, Asset, CommunityOfInterest
from .postcodes import postcode_normalise

SCORES = [
    (n, f"{n}: {label}")
    for n, label in enumerate(["very low", "low", "some", "high", "very high"], 1)
]


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.kind_label})"


def _refuse_constant(name: str):
    # NaN and Infinity are not JSON, and PostgreSQL's jsonb refuses them.
    raise ValueError(name)


def _is_position(value) -> bool:
    """[longitude, latitude], optionally with a height: finite numbers on the globe."""
    if not isinstance(value, list) or len(value) not in (2, 3):
        return False
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value):
        return False
    return (
        all(math.isfinite(n) for n in value)
        and -180 <= value[0] <= 180
        and (-90 <= value[1] <= 90)
    )


def _is_polygon(value) -> bool:
    """Rings of positions."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(ring, list) and ring and all(_is_position(p) for p in ring)
            for ring in value
        )
    )


class BoundaryField(forms.CharField):
    """A GeoJSON Polygon or MultiPolygon (geometry, Feature or FeatureCollection of one)."""

    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError):  # RecursionError: nested too deep to read
            raise ValidationError(_("Paste the boundary as GeoJSON.")) from None
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            features = data.get("features") or []
            data = features[0] if len(features) == 1 else None
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
        if not isinstance(data.get("coordinates"), list) or not data["coordinates"]:
            raise ValidationError(_("The boundary has no coordinates."))
        polygons = data["coordinates"] if data["type"] == "MultiPolygon" else [data["coordinates"]]
        if not all(_is_polygon(polygon) for polygon in polygons):
            raise ValidationError(
                _("The boundary's coordinates must be longitude and latitude pairs in WGS84.")
            )
        # Only the geometry is kept: any other member could hold text PostgreSQL refuses.
        return {"type": data["type"], "coordinates": data["coordinates"]}

    def prepare_value(self, value):
        if isinstance(value, dict):
            return json.dumps(value)
        return value


class AreaForm(GovukModelForm):
    """An area that groups wards (an AAP, a Safer Neighbourhood area...), or the details of
    an imported ward or LSOA."""

    parent = AreaChoiceField(
        queryset=Area.objects.none(),
        label=_("Part of"),
        error_messages={"required": _("Choose what the area is part of")},
    )
    wards = forms.ModelMultipleChoiceField(
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Wards in this area"),
        help_text=_("A ward belongs to one area at a time: choosing it here moves it."),
    )
    boundary = BoundaryField(
        required=False,
        label=_("Boundary (GeoJSON, optional)"),
        help_text=_("A Polygon or MultiPolygon in WGS84, as ONS boundary downloads give it."),
    )

    class Meta:
        model = Area
        fields = ["name", "type_label", "gss_code", "parent"]
        labels = {"type_label": _("Type of area"), "gss_code": _("ONS GSS code (if it has one)")}
        error_messages = {"name": {"required": _("Enter the area's name")}}

    def __init__(self, *args, scope, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        kind = self.instance.kind or Area.Kind.AREA
        parent_kinds = {
            Area.Kind.AREA: [Area.Kind.COUNCIL],
            Area.Kind.WARD: [Area.Kind.COUNCIL, Area.Kind.AREA],
            Area.Kind.LSOA: [Area.Kind.WARD],
        }.get(kind, [])
        # The current parent stays a choice even when it lies above the person's areas
        # (an officer who covers an AAP, not the council, still edits the AAP).
        self.fields["parent"].queryset = Area.objects.filter(
            Q(pk__in=scope.filter(kind__in=parent_kinds).values("pk"))
            | Q(pk=self.instance.parent_id, kind__in=parent_kinds)
        ).order_by("name")
        if kind == Area.Kind.COUNCIL:
            del self.fields["parent"]
            del self.fields["wards"]
        elif kind == Area.Kind.AREA:
            self.fields["wards"].queryset = (
                scope.filter(kind=Area.Kind.WARD).select_related("parent").order_by("name")
            )
            if self.instance.pk:
                self.initial["wards"] = list(self.instance.children.filter(kind=Area.Kind.WARD))
            self.fields["type_label"].help_text = _(
                "What the council calls it: Area Action Partnership, Safer Neighbourhood area..."
            )
        else:
            del self.fields["wards"]
        if "wards" in self.fields:
            self.fields["wards"].label_from_instance = lambda ward: (
                f"{ward.name} (now in {ward.parent.name if ward.parent else '-'})"
            )

    def clean_gss_code(self) -> str:
        code = self.cleaned_data["gss_code"].strip().upper()
        if code and not (len(code) == 9 and code[0] in "EWSNK" and code[1:].isdigit()):
            raise ValidationError(_("Enter a GSS code such as E05001234, or leave it blank."))
        clash = Area.objects.filter(gss_code=code).exclude(pk=self.instance.pk).first()
        if code and clash:
            raise ValidationError(
                _("%(code)s is already %(area)s."), params={"code": code, "area": clash}
            )
        return code


class AssetForm(VersionedModelForm):
    """An officer's form for an asset of any kind."""

    area = AreaChoiceField(queryset=Area.objects.none(), label=_("Area"))
    communities = forms.ModelMultipleChoiceField(
        queryset=CommunityOfInterest.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Communities it serves"),
    )
    contact_phone = PhoneField(label=_("Contact phone"), autocomplete=None)
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false"}),
    )
    consent_recorded = forms.BooleanField(
        required=False,
        label=_("I have recorded the person's consent to list their skill"),
        help_text=_("Needed for a person's skill. Without it the skill cannot be added."),
    )

    class Meta:
        model = Asset
        fields = [
            "kind",
            "category",
            "name",
            "description",
            "area",
            "communities",
            "status",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "opening_times",
            "capacity",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "charity_number",
            "company_number",
            "run_by",
            "person",
            "consent_to_publish",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            # Text inputs with an inputmode, as GOV.UK advises for numbers (not type=number).
            "latitude": forms.TextInput(
                attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}
            ),
            "longitude": forms.TextInput(
                attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}
            ),
            "capacity": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}
            ),
            "description": forms.Textarea(attrs={"rows": 3}),
            "opening_times": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "latitude": _("Left blank, it is found from the postcode."),
            "person": _("Only for a person's skill: the resident who offers it."),
        }

    def __init__(self, *args, scope, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Down the tree: areas, then wards, then the many LSOAs ("lsoa" sorts before "ward").
        self.fields["area"].queryset = scope.exclude(kind=Area.Kind.COUNCIL).order_by(
            Case(When(kind=Area.Kind.LSOA, then=1), default=0), "kind", "name"
        )
        self.fields["run_by"].queryset = Asset.objects.current().filter(
            kind=Asset.Kind.ORGANISATION, area__in=scope
        )
        self.fields["run_by"].required = False
        from engagement.models import Participant

        self.fields["person"].queryset = (
            Participant.objects.filter(erased_at__isnull=True)
            .filter(Q(home_ward__in=scope) | Q(home_lsoa__in=scope))
            .distinct()
        )
        self.fields["person"].required = False
        self.fields["kind"].choices = Asset.Kind.choices
        for name, message in (
            ("kind", _("Choose what kind of asset it is")),
            ("category", _("Choose the type of asset")),
            ("name", _("Enter the asset's name")),
            ("area", _("Choose the area it is in")),
            ("status", _("Choose the asset's status")),
        ):
            self.fields[name].error_messages["required"] = message
        # The bounds of the table's checks, said on the field rather than by the database.
        for name, low, high, message in (
            ("latitude", -90, 90, _("Enter a latitude from -90 to 90, like 54.52")),
            ("longitude", -180, 180, _("Enter a longitude from -180 to 180, like -1.55")),
        ):
            self.fields[name].validators += [
                MinValueValidator(low, message),
                MaxValueValidator(high, message),
            ]
        capacity = self.fields["capacity"]
        capacity.validators = [
            validator
            for validator in capacity.validators
            if not isinstance(validator, MinValueValidator)
        ] + [
            MinValueValidator(1, _("Enter how many people it holds or serves at once, 1 or more"))
        ]
        if not self.instance.pk:
            del self.fields["version"]
        else:
            del self.fields["kind"]
            if self.instance.kind == Asset.Kind.SKILL:
                del self.fields["consent_recorded"]
            else:
                for name in ("person", "consent_to_publish", "consent_recorded"):
                    del self.fields[name]
            if self.instance.kind != Asset.Kind.PLACE:
                del self.fields["run_by"]
            self.fields["category"].choices = [
                (value, label)
                for value, label in Asset.Category.choices
                if value in CATEGORIES_BY_KIND[self.instance.kind]
            ]

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        if value and postcode_normalise(value) is None:
            raise ValidationError(_("Enter a full UK postcode, like NF1 2AB."))
        return postcode_normalise(value) or ""

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind") or self.instance.kind
        category = data.get("category")
        if kind and category and category not in CATEGORIES_BY_KIND.get(kind, ()):
            self.add_error("category", _("Choose a type that matches the kind of asset."))
        if kind == Asset.Kind.SKILL:
            if not data.get("person"):
                self.add_error("person", _("Choose the person who offers the skill."))
            if "consent_recorded" in self.fields and not data.get("consent_recorded"):
                self.add_error(
                    "consent_recorded",
                    _("Record the person's consent before listing their skill."),
                )
            if data.get("latitude") is not None or data.get("longitude") is not None:
                self.add_error("latitude", _("A person's skill is not shown at a location."))
        else:
            if data.get("person"):
                self.add_error("person", _("Only a skill is offered by a person."))
            unreadable = "latitude" in self.errors or "longitude" in self.errors
            if not unreadable and (data.get("latitude") is None) != (
                data.get("longitude") is None
            ):
                self.add_error("longitude", _("Enter both latitude and longitude, or neither."))
        return data


class AssetSuggestionForm(GovukForm):
    """The public form: anyone may suggest a place or a group, reviewed before it shows."""

    kind = forms.ChoiceField(
        label=_("What are you suggesting?"),
        choices=[
            (Asset.Kind.PLACE, _("A place")),
            (Asset.Kind.ORGANISATION, _("A group or organisation")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it is a place or a group")},
    )
    category = forms.ChoiceField(
        label=_("What kind of place or group is it?"),
        choices=[
            (value, label)
            for value, label in Asset.Category.choices
            if value not in CATEGORIES_BY_KIND[Asset.Kind.SKILL]
        ],
        error_messages={"required": _("Choose what kind of place or group it is")},
    )
    name = forms.CharField(
        label=_("Its name"), max_length=200, error_messages={"required": _("Enter its name")}
    )
    area = AreaChoiceField(
        queryset=Area.objects.none(),
        label=_("Which ward is it in?"),
        error_messages={"required": _("Choose the ward it is in")},
    )
    description = forms.CharField(
        label=_("What happens there, or what does the group do? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    address = forms.CharField(label=_("Address (optional)"), required=False, max_length=255)
    postcode = forms.CharField(
        label=_("Postcode (optional)"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false"}),
    )
    opening_times = forms.CharField(
        label=_("When is it open or when does it meet? (optional)"), required=False, max_length=500
    )
    suggested_by_name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    suggested_by_email = forms.EmailField(
        label=_("Your email address (optional)"),
        required=False,
        help_text=_(
            "Only to ask you about your suggestion. It is deleted once the suggestion is reviewed."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(kind=Area.Kind.WARD).order_by("name")
        self.fields["area"].label_from_instance = lambda ward: ward.name
        self.fields["area"].empty_label = _("Choose a ward")

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        if value and postcode_normalise(value) is None:
            raise ValidationError(_("Enter a full UK postcode, like NF1 2AB, or leave it blank."))
        return postcode_normalise(value) or ""

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") and data.get("category") not in CATEGORIES_BY_KIND.get(
            data["kind"], ()
        ):
            self.add_error(
                "category",
                _("Choose a kind of place for a place, or a kind of group for a group."),
            )
        return data


class AssetFilterForm(forms.Form):
    """The filters over the map and the register (GET)."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Asset.Kind.choices]
    )
    category = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type")), *Asset.Category.choices]
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(), required=False, label=_("Area"), empty_label=_("Anywhere")
    )
    community = forms.ModelChoiceField(
        queryset=CommunityOfInterest.objects.all(),
        required=False,
        label=_("Community served"),
        empty_label=_("Any community"),
    )
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)

    def __init__(self, *args, areas, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas.exclude(kind=Area.Kind.LSOA).order_by("kind", "name")
        self.fields["area"].label_from_instance = lambda a: f"{a.name} ({a.kind_label})"


class CapacityAssessmentForm(GovukForm):
    assessed_on = DateInputField(
        label=_("Date of the assessment"), help_text=_("For example, 27 3 2025")
    )
    volunteers = forms.IntegerField(
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        label=_("Active volunteers known"),
        min_value=0,
        max_value=1_000_000,
        error_messages={"required": _("Enter the number of active volunteers known, or 0")},
    )
    digital_skills = forms.TypedChoiceField(
        label=_("Digital skills"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score for digital skills")},
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence to take action together"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score for confidence to take action together")},
    )
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_assessed_on(self):
        # The register's figures are counted now, as they are on the assessment's day.
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise ValidationError(_("The assessment's date cannot be in the future"))
        return assessed_on


IMPORT_KINDS = [
    (
        "census",
        _(
            "A Census 2021 table from Nomis (TS007, TS007A, TS008, TS021, TS030, TS038, "
            "TS077, TS078)"
        ),
    ),
    ("imd", _("English Indices of Deprivation, File 1 (2019 or 2025)")),
    ("lookup", _("ONS lookup: LSOA to ward, or LSOA 2011 to 2021 best fit")),
    ("postcodes", _("Postcode directory extract (ONSPD or NSPL)")),
    ("spend", _("Spend by area, service, agency and year")),
]


class ImportForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("What is the file?"),
        choices=IMPORT_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the file is")},
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("As downloaded, saved as CSV (UTF-8)."),
        error_messages={"required": _("Choose a CSV file")},
    )
    table = forms.ChoiceField(
        label=_("Census table (optional)"),
        required=False,
        choices=[("", _("Find it from the file's columns"))] + [(t, t) for t in census.TABLES],
    )
    council = forms.CharField(
        label=_("Council's GSS code (for a national lookup, optional)"),
        required=False,
        max_length=9,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError(_("The file must be a CSV file."))
        if upload.size == 0:
            raise ValidationError(_("The file is empty."))
        return upload
