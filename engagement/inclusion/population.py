"""The population side of a report: the census baselines of its reference areas,
restricted to the eligible age where the census allows, and their LSOAs' deprivation.

A handful of aggregate queries whatever the number of areas (communities.selectors for
the tables; one query each for the LSOAs, their populations and their IMD deciles), and
two more per ward for age in the rare area whose wards mix single years and five-year
bands.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.db.models import Sum

from communities import census
from communities.models import Area, CensusTable, DeprivationScore, PopulationBaseline
from communities.selectors import area_census_tables

# The dimensions a report shows, in order, with the census table each is compared with.
DIMENSIONS = (
    "age",
    "sex",
    "gender_identity",
    "sexual_orientation",
    "ethnic_group",
    "disability",
    "religion",
)
# Which dimensions have a level of groups above their categories.
HIERARCHICAL = ("ethnic_group", "disability")


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    low: int
    high: int


def age_bands(minimum_age: int) -> tuple[Band, ...]:
    """The report's age bands from the eligible age up (they nest in census bands)."""
    edges = [(25, 34), (35, 49), (50, 64), (65, 74), (75, 150)]
    bands = []
    if minimum_age < 25:
        bands.append(Band(f"{minimum_age}_24", f"{minimum_age} to 24", minimum_age, 24))
    for low, high in edges:
        if high < minimum_age:
            continue
        low = max(low, minimum_age)
        if high == 150:
            bands.append(Band(f"{low}_plus", f"{low} and over", low, 150))
        else:
            bands.append(Band(f"{low}_{high}", f"{low} to {high}", low, high))
    return tuple(bands)


def band_for_age(bands: tuple[Band, ...], age: int) -> str | None:
    for band in bands:
        if band.low <= age <= band.high:
            return band.code
    return None


@dataclass
class DimensionPopulation:
    dimension: str
    table: str | None
    # Leaf category code -> residents; for age, band code -> residents.
    counts: dict[str, int]
    # The denominator: the table's own total, less "Not answered" on voluntary questions
    # (for age: the residents of eligible age).
    total: int
    not_answered: int = 0
    note: str = ""

    def share(self, code: str) -> float:
        return self.counts.get(code, 0) / self.total if self.total else 0.0


@dataclass
class Geography:
    edition: int | None
    # LSOA id -> (decile or None, eligible residents, ward id or None)
    lsoas: dict[int, tuple[int | None, int, int | None]] = field(default_factory=dict)
    # Unit (ward, or LSOA for a one-ward report) id -> (name, residents)
    units: dict[int, tuple[str, int]] = field(default_factory=dict)
    unit_kind: str = "ward"
    # Every area id within the reference areas (to tell residents from visitors).
    area_ids: set[int] = field(default_factory=set)


@dataclass
class Population:
    dimensions: dict[str, DimensionPopulation]
    geography: Geography
    tables: dict[str, dict]
    minimum_age: int
    bands: tuple[Band, ...]


def _leaf_codes(dimension: str) -> list[str]:
    return [c.code for c in census.dimension(dimension).leaves]


def dimension_parents(dimension: str) -> dict[str, list[str]]:
    """Group code -> leaf codes, for a hierarchical dimension."""
    dim = census.dimension(dimension)
    parents: dict[str, list[str]] = {}
    for category in dim.leaves:
        if category.parent:
            parents.setdefault(category.parent, []).append(category.code)
    return parents


def _age_counts(figures, bands: tuple[Band, ...]) -> tuple[str, dict[str, float]] | None:
    """One area's residents by band, and the table they come from: its single years
    (TS007) if imported, else its five-year bands (TS007A), prorated where a band of ours
    splits one of theirs; None without either."""
    single = figures.get("TS007")
    if single is not None:
        return "TS007", {
            band.code: float(
                sum(
                    single.counts.get(f"y{age}", 0)
                    for age in range(band.low, min(band.high, 100) + 1)
                )
            )
            for band in bands
        }
    five = figures.get("TS007A")
    if five is None:
        return None
    counts: dict[str, float] = {}
    for band in bands:
        total = 0.0
        for census_band in census.AGE_FIVE_YEAR_BANDS:
            low, high = census_band.ages
            high = min(high, 89)
            overlap = min(high, band.high) - max(low, band.low) + 1
            if overlap > 0:
                total += five.counts.get(census_band.code, 0) * overlap / (high - low + 1)
        counts[band.code] = total
    return "TS007A", counts


def _area_age_counts(area: Area, figures, bands) -> list[tuple[str, dict[str, float]]]:
    """An area's residents by band. When only some of its wards (or a ward's LSOAs) have
    single years and the others five-year bands, each of those is counted from its own
    table (a query or two each: a mix of imports is rare)."""
    single = figures.get("TS007")
    if single is None or single.complete or "TS007A" not in figures:
        found = _age_counts(figures, bands)
        return [found] if found else []
    unit_kind = Area.Kind.LSOA if area.kind == Area.Kind.WARD else Area.Kind.WARD
    units = Area.objects.filter(pk=area.pk).with_descendants().filter(kind=unit_kind)
    parts = []
    for unit in units.order_by("pk"):
        found = _age_counts(area_census_tables(area=unit), bands)
        if found:
            parts.append(found)
    return parts


def _age_population(parts: list[tuple[str, dict[str, float]]], bands) -> DimensionPopulation:
    """The reference areas' residents by band, each area (or unit) from its own age table:
    one may have single years and another five-year bands only."""
    if not parts:
        return DimensionPopulation("age", None, {}, 0, note="No age table imported.")
    counts = {band.code: round(sum(c.get(band.code, 0.0) for _t, c in parts)) for band in bands}
    tables = sorted({table for table, _counts in parts})
    note = ""
    if tables == ["TS007A"]:
        note = "Five-year bands only: bands split at the eligible age are prorated."
    elif len(tables) > 1:
        note = (
            "Single years where imported, five-year bands elsewhere: bands split at the "
            "eligible age are prorated there."
        )
    return DimensionPopulation("age", "+".join(tables), counts, sum(counts.values()), note=note)


def _table_population(dimension: str, figures) -> DimensionPopulation:
    dim = census.dimension(dimension)
    table = next((t for t in dim.tables if t in figures), None)
    if table is None:
        return DimensionPopulation(dimension, None, {}, 0, note="Table not imported.")
    found = figures[table]
    counts = {code: found.counts.get(code, 0) for code in _leaf_codes(dimension)}
    not_answered = found.counts.get(census.NOT_ANSWERED, 0) if dim.voluntary else 0
    total = found.total - not_answered
    return DimensionPopulation(dimension, table, counts, total, not_answered)


def _add(into: dict, figures: dict) -> None:
    """Add one area's tables into the running totals (copies: the area's own figures
    stay as they were)."""
    for table, found in figures.items():
        if table not in into:
            into[table] = replace(found, counts=dict(found.counts))
            continue
        existing = into[table]
        merged = dict(existing.counts)
        for code, count in found.counts.items():
            merged[code] = merged.get(code, 0) + count
        existing.counts = merged
        existing.total += found.total
        existing.areas_counted += found.areas_counted


def population_for(*, areas: tuple[Area, ...], minimum_age: int) -> Population:
    figures: dict = {}
    bands = age_bands(minimum_age)
    ages = []
    for area in areas:
        found = area_census_tables(area=area)
        ages += _area_age_counts(area, found, bands)
        _add(figures, found)
    dimensions = {"age": _age_population(ages, bands)}
    for dimension in DIMENSIONS[1:]:
        dimensions[dimension] = _table_population(dimension, figures)
    tables = {
        table: {
            "table": table,
            "dimension": found.dimension.code,
            "total": found.total,
            "level": found.source_level,
            "areas": found.areas_counted,
        }
        for table, found in figures.items()
    }
    return Population(
        dimensions=dimensions,
        geography=geography_for(areas=areas, minimum_age=minimum_age),
        tables=tables,
        minimum_age=minimum_age,
        bands=bands,
    )


def geography_for(*, areas: tuple[Area, ...], minimum_age: int) -> Geography:
    if not areas:
        return Geography(edition=None)
    within = list(
        Area.objects.filter(pk__in=[a.pk for a in areas])
        .with_descendants()
        .values_list("pk", "kind", "parent_id", "name")
    )
    area_ids = {pk for pk, *_ in within}
    lsoas = {pk: parent for pk, kind, parent, _name in within if kind == Area.Kind.LSOA}
    wards = {pk: name for pk, kind, _parent, name in within if kind == Area.Kind.WARD}
    eligible = [f"y{age}" for age in range(minimum_age, 101)]
    population = dict(
        PopulationBaseline.objects.filter(
            area_id__in=list(lsoas) + list(wards), table__table="TS007", category__in=eligible
        )
        .values("area_id")
        .annotate(n=Sum("count"))
        .values_list("area_id", "n")
        .order_by()
    )
    totals = dict(
        CensusTable.objects.filter(
            area_id__in=list(lsoas) + list(wards), table="TS008"
        ).values_list("area_id", "total")
    )
    scores = list(
        DeprivationScore.objects.filter(lsoa_id__in=list(lsoas)).values_list(
            "lsoa_id", "edition", "decile"
        )
    )
    editions = {edition for _lsoa, edition, _decile in scores}
    edition = max(editions) if editions else None
    deciles = {lsoa: decile for lsoa, e, decile in scores if e == edition}
    geography = Geography(edition=edition, area_ids=area_ids)
    for lsoa, ward in lsoas.items():
        residents = population.get(lsoa, totals.get(lsoa, 0))
        geography.lsoas[lsoa] = (deciles.get(lsoa), residents, ward if ward in wards else None)
    if (len(areas) == 1 and areas[0].kind == Area.Kind.WARD) or not wards:
        names = dict(Area.objects.filter(pk__in=list(lsoas)).values_list("pk", "name"))
        geography.unit_kind = "lsoa"
        geography.units = {
            lsoa: (names.get(lsoa, ""), residents)
            for lsoa, (_d, residents, _w) in geography.lsoas.items()
        }
        return geography
    by_ward: dict[int, int] = defaultdict(int)
    for _decile, residents, ward in geography.lsoas.values():
        if ward is not None:
            by_ward[ward] += residents
    geography.units = {
        ward: (name, by_ward.get(ward) or population.get(ward, totals.get(ward, 0)))
        for ward, name in wards.items()
    }
    return geography
