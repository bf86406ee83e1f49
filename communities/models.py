import uuid
from functools import cache
from typing import Self

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# An area and everything beneath (or above) it, whatever the depth of the tree.
TREE_WALK = (
    "WITH RECURSIVE tree(id, parent_id) AS ({roots} UNION SELECT child.id, child.parent_id "
    "FROM {table} child JOIN tree ON {join}) SELECT id FROM tree"
)


class AreaQuerySet(models.QuerySet["Area"]):
    def with_descendants(self) -> "AreaQuerySet":
        """These areas and every area beneath them, in one query (a recursive CTE that
        walks down the parent index from the given areas)."""
        return self._tree_walk(join="child.parent_id = tree.id")

    def with_ancestors(self) -> "AreaQuerySet":
        """These areas and every area above them, in one query."""
        return self._tree_walk(join="child.id = tree.parent_id")

    def _tree_walk(self, *, join: str) -> "AreaQuerySet":
        roots = self.order_by().values("pk", "parent_id")
        try:
            roots_sql, params = roots.query.sql_with_params()
        except EmptyResultSet:
            return self.model.objects.none()
        table = connection.ops.quote_name(self.model._meta.db_table)
        # Only Django's own compiled SQL, a quoted table name and the constants above go
        # into the text; every value stays a bound parameter.
        walk = TREE_WALK.format(roots=roots_sql, table=table, join=join)
        return self.model.objects.filter(pk__in=RawSQL(walk, params))  # noqa: S611  # nosec B611

    def wards(self) -> Self:
        return self.filter(kind=Area.Kind.WARD)

    def lsoas(self) -> Self:
        return self.filter(kind=Area.Kind.LSOA)


class Area(models.Model):
    """A place the council serves: the council itself, a group of wards, a ward or an LSOA."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council")
        AREA = "area", _("Area")
        WARD = "ward", _("Electoral ward")
        LSOA = "lsoa", _("Lower layer super output area")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind)
    # The council names its own groupings: "Area Action Partnership", "NAG patch"...
    type_label = models.CharField(
        max_length=100, blank=True, help_text=_("What the council calls this kind of area.")
    )
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        blank=True,
        help_text=_("ONS code, e.g. E06000005 for a unitary council or E05 for a ward."),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"],
                condition=~Q(gss_code=""),
                name="communities_area_gss_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind="council", parent__isnull=True) | ~Q(kind="council"),
                name="communities_area_council_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:area_detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return self.type_label or self.get_kind_display()


class AreaBoundary(models.Model):
    """An area's boundary, if known: a GeoJSON Polygon or MultiPolygon in WGS84.

    Kept in a table of its own because a ward's boundary from ONS runs to tens of
    kilobytes: on the area's row, every list that names an area (events, projects,
    baselines, the areas themselves) would load and parse it."""

    area = models.OneToOneField(
        Area, primary_key=True, on_delete=models.CASCADE, related_name="boundary"
    )
    geometry = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area"]

    def __str__(self) -> str:
        return f"Boundary of {self.area_id}"


class CommunityOfInterest(models.Model):
    """A community defined by who people are rather than where they live.

    Older people, young people, carers, people with learning disabilities... It may be
    active in some areas only, and overlaps them freely.
    """

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    areas = models.ManyToManyField(
        Area,
        blank=True,
        related_name="communities_of_interest",
        help_text=_("Where the community is active; none means across the whole council."),
    )
    # The census categories this community corresponds to, as "dimension:category" codes
    # (communities.census), e.g. ["age:b65_69", ...] or ["ethnic_group:asian_bangladeshi"]:
    # how the inclusion reports find organisations that serve a missing group.
    census_categories = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("communities of interest")

    def __str__(self) -> str:
        return self.name


class CensusTable(models.Model):
    """One ONS census table as imported for one area, with the table's own total.

    Census counts are perturbed, so two tables for the same area disagree by a few
    people: each table's shares use its own total, never another table's.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="census_tables")
    table = models.CharField(max_length=10, help_text=_("ONS table id, e.g. TS021."))
    dimension = models.CharField(max_length=40, help_text=_("communities.census dimension."))
    census_year = models.PositiveSmallIntegerField(default=2021)
    total = models.PositiveIntegerField(help_text=_("The table's own total, as published."))
    source = models.CharField(max_length=255, blank=True, help_text=_("File imported from."))
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area", "table"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "table", "census_year"], name="communities_census_table_unique"
            ),
        ]
        indexes = [models.Index(fields=["dimension", "area"])]

    def __str__(self) -> str:
        return f"{self.table} for {self.area}"


class PopulationBaseline(models.Model):
    """A census count: people in one area in one category of one dimension.

    Rows exist for every level a table publishes (e.g. "asian" and "asian_bangladeshi");
    sums are only ever taken within one level, never across levels.
    """

    table = models.ForeignKey(CensusTable, on_delete=models.CASCADE, related_name="counts")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="baselines")
    dimension = models.CharField(max_length=40)
    category = models.CharField(max_length=60)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["area", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "category"], name="communities_baseline_table_category_unique"
            ),
        ]
        indexes = [models.Index(fields=["area", "dimension", "category"])]

    def __str__(self) -> str:
        return f"{self.area} {self.dimension}:{self.category} = {self.count}"


class DeprivationScore(models.Model):
    """An LSOA's place in the English Indices of Deprivation (decile 1: most deprived)."""

    class Edition(models.IntegerChoices):
        IOD_2019 = 2019, _("English Indices of Deprivation 2019 (2011 LSOAs)")
        IOD_2025 = 2025, _("English Indices of Deprivation 2025 (2021 LSOAs)")

    lsoa = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="deprivation_scores")
    edition = models.PositiveSmallIntegerField(choices=Edition)
    rank = models.PositiveIntegerField(help_text=_("1 is the most deprived LSOA in England."))
    decile = models.PositiveSmallIntegerField()
    # Assigned through the ONS LSOA 2011 to 2021 best-fit lookup rather than published.
    via_best_fit = models.BooleanField(default=False)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["lsoa", "edition"], name="communities_deprivation_lsoa_edition_unique"
            ),
            models.CheckConstraint(
                condition=Q(decile__gte=1, decile__lte=10),
                name="communities_deprivation_decile_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lsoa} IMD {self.edition} decile {self.decile}"


class Postcode(models.Model):
    """Where a postcode lies, from an ONS postcode directory extract (ONSPD/NSPL)."""

    # Normalised: upper case, one space before the inward code ("DL1 5QT").
    postcode = models.CharField(max_length=8, unique=True)
    lsoa = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="postcodes"
    )
    ward = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="ward_postcodes"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    terminated = models.BooleanField(default=False)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode


class LsoaBestFit(models.Model):
    """One row of the ONS LSOA 2011 to LSOA 2021 best-fit lookup.

    Kept as codes, not links, so that the lookup can be imported before or after the area
    tree: the IMD 2019 import (on 2011 LSOAs) resolves it when it runs.
    """

    class Change(models.TextChoices):
        UNCHANGED = "U", _("Unchanged")
        SPLIT = "S", _("Split")
        MERGED = "M", _("Merged")
        REDRAWN = "X", _("Redrawn")

    lsoa11_code = models.CharField(max_length=9, unique=True)
    lsoa11_name = models.CharField(max_length=200, blank=True)
    lsoa21_code = models.CharField(max_length=9, db_index=True)
    change = models.CharField(max_length=1, choices=Change, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["lsoa11_code"]
        verbose_name = _("LSOA 2011 to 2021 best fit")

    def __str__(self) -> str:
        return f"{self.lsoa11_code} -> {self.lsoa21_code}"


@cache
def _choice_labels(choices: type[models.Choices], language: str | None) -> dict:
    return {value: str(label) for value, label in choices.choices}


def choice_label(choices: type[models.Choices], value: str) -> str:
    """A choice's label, looked up once per language: Django's get_FOO_display hashes
    every lazy label on every call, which costs seconds over a thousand rows."""
    return _choice_labels(choices, get_language()).get(value, value)


class AssetQuerySet(models.QuerySet["Asset"]):
    def current(self) -> Self:
        """Not archived."""
        return self.filter(archived_at__isnull=True)

    def published(self) -> Self:
        """What the public map and list may show: moderated, not archived, and a person's
        skill only with their consent to be shown publicly."""
        return self.current().filter(
            Q(moderation=Asset.Moderation.PUBLISHED)
            & (~Q(kind=Asset.Kind.SKILL) | Q(consent_to_publish=True))
        )

    def awaiting_review(self) -> Self:
        return self.current().filter(moderation=Asset.Moderation.SUGGESTED)

    def in_areas(self, areas) -> Self:
        return self.filter(area__in=areas)


class Asset(models.Model):
    """A community asset (ABCD): a place, an organisation, or a person's skill on offer."""

    class Kind(models.TextChoices):
        PLACE = "place", _("Place")
        ORGANISATION = "organisation", _("Organisation or group")
        SKILL = "skill", _("A person's skill")

    class Category(models.TextChoices):
        # Places
        COMMUNITY_CENTRE = "community_centre", _("Community centre")
        HALL = "hall", _("Village or church hall")
        PARK = "park", _("Park or green space")
        ALLOTMENT = "allotment", _("Allotment or community garden")
        LIBRARY = "library", _("Library")
        SPORTS = "sports", _("Sports or leisure facility")
        OTHER_PLACE = "other_place", _("Other place")
        # Organisations
        VCS_GROUP = "vcs_group", _("Voluntary or community group")
        RESIDENTS_ASSOCIATION = "residents_association", _("Residents' association")
        NAG = "nag", _("Neighbourhood Action Group")
        FRIENDS_OF = "friends_of", _("Friends-of group")
        FAITH_GROUP = "faith_group", _("Faith group")
        SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
        OTHER_ORGANISATION = "other_organisation", _("Other organisation")
        # Skills
        PRACTICAL = "practical", _("Practical or trade skill")
        CARING = "caring", _("Caring and befriending")
        DIGITAL = "digital", _("Digital skills")
        TEACHING = "teaching", _("Teaching or coaching")
        CREATIVE = "creative", _("Arts and creative skills")
        OTHER_SKILL = "other_skill", _("Other skill")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        AT_RISK = "at_risk", _("At risk")
        CLOSED = "closed", _("Closed")
        TRANSFERRED = "transferred", _("Transferred to community ownership")

    class Moderation(models.TextChoices):
        SUGGESTED = "suggested", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind)
    category = models.CharField(max_length=30, choices=Category)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="assets")
    communities = models.ManyToManyField(CommunityOfInterest, blank=True, related_name="assets")
    # A place's location (WGS84). Never set for a person's skill.
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(max_length=255, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
    opening_times = models.TextField(blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("How many people it holds or serves at once.")
    )
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    # The organisation that runs a place (e.g. the friends-of group that runs a park).
    run_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places_run",
        limit_choices_to={"kind": "organisation"},
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    moderation = models.CharField(max_length=20, choices=Moderation, default=Moderation.PUBLISHED)
    last_verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets_verified",
    )
    # A person's skill: who offers it, and their recorded consent.
    person = models.ForeignKey(
        "engagement.Participant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="skills_offered",
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="skill_consents_recorded",
    )
    consent_to_publish = models.BooleanField(
        default=False,
        help_text=_("The person agreed to their skill being shown on the public map."),
    )
    # Who suggested it through the public form, kept only until it is reviewed.
    suggested_by_name = models.CharField(max_length=150, blank=True)
    suggested_by_email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets_created",
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="skill")
                | (Q(person__isnull=False) & Q(consent_recorded_at__isnull=False)),
                name="communities_asset_skill_needs_person_and_consent",
            ),
            models.CheckConstraint(
                condition=~Q(kind="skill")
                | (Q(latitude__isnull=True) & Q(longitude__isnull=True)),
                name="communities_asset_skill_has_no_location",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="communities_asset_location_complete_and_valid",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="communities_asset_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["moderation", "kind", "area"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:asset_detail", args=[self.pk])

    def get_kind_display(self) -> str:
        return choice_label(self.Kind, self.kind)

    def get_category_display(self) -> str:
        return choice_label(self.Category, self.category)

    def get_status_display(self) -> str:
        return choice_label(self.Status, self.status)

    def get_moderation_display(self) -> str:
        return choice_label(self.Moderation, self.moderation)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_public(self) -> bool:
        return (
            self.archived_at is None
            and self.moderation == self.Moderation.PUBLISHED
            and (self.kind != self.Kind.SKILL or self.consent_to_publish)
        )


# Which categories belong to which kind of asset.
CATEGORIES_BY_KIND: dict[str, tuple[str, ...]] = {
    Asset.Kind.PLACE: (
        "community_centre",
        "hall",
        "park",
        "allotment",
        "library",
        "sports",
        "other_place",
    ),
    Asset.Kind.ORGANISATION: (
        "vcs_group",
        "residents_association",
        "nag",
        "friends_of",
        "faith_group",
        "social_enterprise",
        "other_organisation",
    ),
    Asset.Kind.SKILL: ("practical", "caring", "digital", "teaching", "creative", "other_skill"),
}


def _score_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (very low) to 5 (very high)."),
    )


class CapacityAssessment(models.Model):
    """A scored assessment of a community's capacity at one date: of an area, or of a
    community of interest. Figures the register holds (organisations per 1,000 residents,
    skills offered) are taken from it when the assessment is recorded."""

    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="capacity_assessments"
    )
    community = models.ForeignKey(
        CommunityOfInterest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="capacity_assessments",
    )
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="capacity_assessments",
    )
    organisations_per_1000 = models.DecimalField(
        "organisations per 1,000 residents",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    organisations = models.PositiveIntegerField(default=0)
    volunteers = models.PositiveIntegerField(help_text=_("Active volunteers known."))
    skills_offered = models.PositiveIntegerField(default=0)
    digital_skills = _score_field("digital skills")
    confidence = _score_field("confidence")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=False, community__isnull=True)
                | Q(area__isnull=True, community__isnull=False),
                name="communities_capacity_area_or_community",
            ),
            models.UniqueConstraint(
                fields=["area", "assessed_on"],
                condition=Q(area__isnull=False),
                name="communities_capacity_one_per_area_per_day",
            ),
            models.UniqueConstraint(
                fields=["community", "assessed_on"],
                condition=Q(community__isnull=False),
                name="communities_capacity_one_per_community_per_day",
            ),
            models.CheckConstraint(
                condition=Q(digital_skills__gte=1, digital_skills__lte=5)
                & Q(confidence__gte=1, confidence__lte=5),
                name="communities_capacity_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Capacity of {self.area or self.community} on {self.assessed_on}"


class SpendRecord(models.Model):
    """Public money spent in an area in one financial year, by service and agency."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="spend_records")
    service = models.CharField(max_length=150)
    agency = models.CharField(max_length=200, help_text=_("Who spent it: the council, the NHS..."))
    # The year the financial year starts in: 2024 is 2024/25 (April to March).
    financial_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    source = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-financial_year", "area", "service", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "service", "agency", "financial_year"],
                name="communities_spend_unique_area_service_agency_year",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="communities_spend_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.agency}) in {self.area}, {self.financial_year_label}"

    @property
    def financial_year_label(self) -> str:
        return f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"
