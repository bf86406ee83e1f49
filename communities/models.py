from typing import Self

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# An area's tree is at most council > area > ward > LSOA deep.
MAX_AREA_DEPTH = 4


class AreaQuerySet(models.QuerySet["Area"]):
    def with_descendants(self) -> "AreaQuerySet":
        """These areas and every area beneath them, in one query."""
        ids = self.values("pk")
        condition = Q(pk__in=ids)
        lookup = "parent"
        for _depth in range(1, MAX_AREA_DEPTH):
            condition |= Q(**{f"{lookup}__in": ids})
            lookup = f"{lookup}__parent"
        return self.model.objects.filter(condition)

    def with_ancestors(self) -> "AreaQuerySet":
        """These areas and every area above them, in one query."""
        condition = Q(pk__in=self.values("pk"))
        lookup = "parent"
        for _depth in range(1, MAX_AREA_DEPTH):
            condition |= Q(pk__in=self.values(lookup))
            lookup = f"{lookup}__parent"
        return self.model.objects.filter(condition)

    def wards(self) -> Self:
        return self.filter(kind=Area.Kind.WARD)


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
    # GeoJSON geometry (Polygon or MultiPolygon, WGS84) of the area's boundary, if known.
    boundary = models.JSONField(null=True, blank=True)
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
        return reverse("admin:communities_area_change", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return self.type_label or self.get_kind_display()


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
