"""Reads for the communities pages and for other apps: areas with their population,
deprivation, assets, spend and capacity, each computed by aggregate SQL."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from coproduction.accounts.selectors import area_list_for_user

from . import census
from .models import (
    Area,
    AreaBoundary,
    Asset,
    CapacityAssessment,
    CensusTable,
    CommunityOfInterest,
    DeprivationScore,
    PopulationBaseline,
    SpendRecord,
    choice_label,
)

# The table whose total is an area's usual resident population.
POPULATION_TABLE = "TS008"
# The edition of the IMD shown when both are imported: the latest.
IMD_EDITIONS = (DeprivationScore.Edition.IOD_2025, DeprivationScore.Edition.IOD_2019)


def area_scope_for_user(*, user) -> QuerySet[Area]:
    """The areas a person may read (their own and everything within)."""
    return area_list_for_user(user=user)


def area_get_for_user(*, user, pk: int) -> Area:
    """One area, only if the person may see it (Area.DoesNotExist otherwise)."""
    return area_scope_for_user(user=user).select_related("parent", "parent__parent").get(pk=pk)


def area_boundary(*, area: Area) -> dict | None:
    """The area's boundary (GeoJSON geometry), if it has one."""
    return AreaBoundary.objects.filter(area=area).values_list("geometry", flat=True).first()


def _descendant_ids(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(pk=area.pk).with_descendants()


def area_list_with_figures(*, user, kinds=(Area.Kind.COUNCIL, Area.Kind.AREA, Area.Kind.WARD)):
    """The areas a person may see, council to ward, each with its population (TS008 total
    of its own, else of its wards, else of its LSOAs), its number of LSOAs and how many of
    them are among England's most deprived 20%, and its current assets.

    A fixed number of queries whatever the number of areas: the areas, then one aggregate
    per figure over the whole tree.
    """
    areas = list(
        area_scope_for_user(user=user)
        .filter(kind__in=kinds)
        .select_related("parent")
        .order_by("kind", "name")
    )
    if not areas:
        return []
    tree = _tree(areas)
    own_population = dict(
        CensusTable.objects.filter(table=POPULATION_TABLE).values_list("area_id", "total")
    )
    lsoa_deciles: dict[int, int] = {}
    for lsoa_id, _edition, decile in DeprivationScore.objects.values_list(
        "lsoa_id", "edition", "decile"
    ).order_by("edition"):
        lsoa_deciles[lsoa_id] = decile  # the latest edition wins
    assets = dict(
        Asset.objects.current()
        .filter(moderation=Asset.Moderation.PUBLISHED)
        .values("area_id")
        .annotate(n=Count("pk"))
        .values_list("area_id", "n")
    )
    rows = []
    for area in areas:
        below = tree.descendants(area.pk)
        population, level = _population_from(area.pk, below, tree, own_population)
        lsoa_ids = [pk for pk in below if tree.kinds[pk] == Area.Kind.LSOA]
        scored = [lsoa_deciles[pk] for pk in lsoa_ids if pk in lsoa_deciles]
        rows.append(
            {
                "area": area,
                "population": population,
                "population_level": level,
                "lsoas": len(lsoa_ids),
                "most_deprived": sum(1 for decile in scored if decile <= 2),
                "scored": len(scored),
                "assets": sum(assets.get(pk, 0) for pk in [area.pk, *below]),
            }
        )
    return rows


@dataclass
class _Tree:
    kinds: dict[int, str]
    children: dict[int, list[int]]

    def descendants(self, pk: int) -> list[int]:
        found, stack = [], list(self.children.get(pk, []))
        while stack:
            child = stack.pop()
            found.append(child)
            stack.extend(self.children.get(child, []))
        return found


def _tree(roots) -> _Tree:
    """Every area under the given ones, in one query."""
    rows = Area.objects.filter(pk__in=[a.pk for a in roots]).with_descendants()
    kinds, children = {}, defaultdict(list)
    for pk, kind, parent_id in rows.values_list("pk", "kind", "parent_id"):
        kinds[pk] = kind
        if parent_id:
            children[parent_id].append(pk)
    return _Tree(kinds, children)


def _population_from(pk, below, tree, own) -> tuple[int | None, str]:
    if pk in own:
        return own[pk], "own"
    for kind in (Area.Kind.WARD, Area.Kind.LSOA):
        members = [child for child in below if tree.kinds[child] == kind]
        if members and all(member in own for member in members):
            return sum(own[member] for member in members), kind
    return None, ""


# -- One area's profile ------------------------------------------------------------------


@dataclass
class TableFigures:
    """One census table for an area: its own total and each category's count."""

    table: str
    dimension: census.Dimension
    total: int
    counts: dict[str, int]
    source_level: str  # "own", "ward" or "lsoa": where the figures were added up from
    areas_counted: int
    # False when only some of the areas at that level have the table.
    complete: bool = True

    def share(self, code: str) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.counts.get(code, 0)) * 100 / self.total).quantize(Decimal("0.1"))

    def rows(self, codes) -> list[tuple[census.Category, int, Decimal | None]]:
        return [
            (self.dimension.category(code), self.counts.get(code, 0), self.share(code))
            for code in codes
        ]


def area_census_tables(*, area: Area) -> dict[str, TableFigures]:
    """Every imported table for the area, added up from one level only.

    Its own figures if it has them (a ward from the Nomis API), else its wards' if every
    one of them has the table, else its LSOAs'. Two queries whatever the table count.
    """
    members = list(
        _descendant_ids(area)
        .filter(kind__in=[area.kind, Area.Kind.WARD, Area.Kind.LSOA])
        .values_list("pk", "kind")
    )
    by_level: dict[str, set[int]] = {"own": {area.pk}, "ward": set(), "lsoa": set()}
    for pk, kind in members:
        if pk == area.pk:
            continue
        if kind == Area.Kind.WARD:
            by_level["ward"].add(pk)
        elif kind == Area.Kind.LSOA:
            by_level["lsoa"].add(pk)
    all_ids = {pk for pk, _kind in members} | {area.pk}
    tables = CensusTable.objects.filter(area_id__in=all_ids).values_list(
        "table", "area_id", "total", "pk"
    )
    coverage: dict[str, dict[int, int]] = defaultdict(dict)
    table_ids: dict[str, dict[int, int]] = defaultdict(dict)
    for table, area_id, total, pk in tables:
        coverage[table][area_id] = total
        table_ids[table][area_id] = pk
    chosen: dict[str, tuple[str, set[int]]] = {}
    for table, totals in coverage.items():
        for level in ("own", "ward", "lsoa"):
            ids = by_level[level]
            if ids and ids <= totals.keys():
                chosen[table] = (level, ids)
                break
        else:
            # Partial coverage: the LSOAs that have it, said as such on the page.
            ids = by_level["lsoa"] & totals.keys() or by_level["ward"] & totals.keys()
            if ids:
                chosen[table] = ("lsoa" if ids <= by_level["lsoa"] else "ward", ids)
    if not chosen:
        return {}
    # Grouped by dimension and category, with no join: within one dimension the tables'
    # categories never overlap (TS007's single years, TS007A's bands).
    sums = (
        PopulationBaseline.objects.filter(
            table_id__in=[
                table_ids[table][pk] for table, (_level, ids) in chosen.items() for pk in ids
            ]
        )
        .values("dimension", "category")
        .annotate(count=Sum("count"))
        .order_by()
    )
    by_dimension: dict[tuple[str, str], int] = {
        (row["dimension"], row["category"]): row["count"] for row in sums
    }
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for table in chosen:
        dimension_code = census.TABLES[table]["dimension"]
        for category in census.table_categories(table):
            key = (dimension_code, category.code)
            if key in by_dimension:
                counts[table][category.code] = by_dimension[key]
    result = {}
    for table, (level, ids) in chosen.items():
        result[table] = TableFigures(
            table=table,
            dimension=census.dimension(census.TABLES[table]["dimension"]),
            total=sum(coverage[table][pk] for pk in ids),
            counts=counts.get(table, {}),
            source_level=level,
            areas_counted=len(ids),
            complete=level == "own" or ids == by_level[level],
        )
    return result


def area_population(*, area: Area, tables: dict[str, TableFigures] | None = None) -> int | None:
    """Usual residents: TS008's total, else the total of any table counting everyone."""
    tables = tables if tables is not None else area_census_tables(area=area)
    for table in (POPULATION_TABLE, "TS021", "TS007", "TS007A", "TS038", "TS030"):
        if table in tables:
            return tables[table].total
    return None


def age_bands(figures: dict[str, TableFigures]) -> TableFigures | None:
    """Five-year bands: TS007A as published, else added up from TS007's single years."""
    if "TS007A" in figures:
        return figures["TS007A"]
    single = figures.get("TS007")
    if single is None:
        return None
    counts = {}
    for band in census.AGE_FIVE_YEAR_BANDS:
        low, high = band.ages
        counts[band.code] = sum(
            single.counts.get(f"y{age}", 0) for age in range(low, min(high, 100) + 1)
        )
    return TableFigures(
        "TS007", single.dimension, single.total, counts, single.source_level, single.areas_counted
    )


@dataclass
class DeprivationProfile:
    edition: int | None
    lsoas: list[dict] = field(default_factory=list)
    by_decile: dict[int, int] = field(default_factory=dict)
    unscored: int = 0

    @property
    def most_deprived(self) -> int:
        return sum(count for decile, count in self.by_decile.items() if decile <= 2)


def area_deprivation(*, area: Area) -> DeprivationProfile:
    """The IMD rank and decile of each LSOA in the area (latest edition imported)."""
    lsoas = list(
        _descendant_ids(area)
        .filter(kind=Area.Kind.LSOA)
        .select_related("parent")
        .order_by("gss_code")
    )
    if area.kind == Area.Kind.LSOA:
        lsoas = [area]
    scores = DeprivationScore.objects.filter(lsoa__in=lsoas)
    editions = set(scores.values_list("edition", flat=True))
    edition = next((e for e in IMD_EDITIONS if e in editions), None)
    profile = DeprivationProfile(edition=edition, by_decile=dict.fromkeys(range(1, 11), 0))
    by_lsoa = {s.lsoa_id: s for s in scores.filter(edition=edition)} if edition else {}
    for lsoa in lsoas:
        score = by_lsoa.get(lsoa.pk)
        if score is None:
            profile.unscored += 1
        else:
            profile.by_decile[score.decile] += 1
        profile.lsoas.append({"lsoa": lsoa, "score": score})
    profile.lsoas.sort(key=lambda row: row["score"].rank if row["score"] else 10**9)
    return profile


def area_spend(*, area: Area) -> dict:
    """Spend recorded in the area and everything within it, by year, service and agency."""
    records = SpendRecord.objects.filter(area__in=_descendant_ids(area))
    by_year = list(
        records.values("financial_year").annotate(total=Sum("amount")).order_by("-financial_year")
    )
    latest = by_year[0]["financial_year"] if by_year else None
    detail = (
        list(
            records.filter(financial_year=latest)
            .values("service", "agency")
            .annotate(total=Sum("amount"))
            .order_by("-total", "service")
        )
        if latest
        else []
    )
    return {"by_year": by_year, "latest_year": latest, "latest": detail}


def area_counts(*, area: Area) -> dict:
    """Projects touching the area, and participants living in it."""
    from engagement.models import Participant
    from projects.models import Project

    inside = _descendant_ids(area)
    projects = Project.objects.filter(areas__in=inside).values("pk").distinct().count()
    participants = (
        Participant.objects.filter(erased_at__isnull=True)
        .filter(Q(home_ward__in=inside) | Q(home_lsoa__in=inside))
        .values("pk")
        .distinct()
        .count()
    )
    return {"projects": projects, "participants": participants}


def area_children_figures(*, area: Area) -> tuple[list[dict], int | None]:
    """The areas one level down (an AAP's wards...), with population, deprivation and
    spend per head in the latest year: where money goes against need."""
    children = list(area.children.exclude(kind=Area.Kind.LSOA).order_by("name"))
    if not children:
        return [], None
    tree = _tree(children)
    own = dict(CensusTable.objects.filter(table=POPULATION_TABLE).values_list("area_id", "total"))
    deciles: dict[int, int] = {}
    for lsoa_id, decile in (
        DeprivationScore.objects.filter(
            lsoa_id__in=[pk for pk, kind in tree.kinds.items() if kind == Area.Kind.LSOA]
        )
        .order_by("edition")
        .values_list("lsoa_id", "decile")
    ):
        deciles[lsoa_id] = decile
    latest = SpendRecord.objects.filter(area_id__in=list(tree.kinds)).order_by("-financial_year")
    year = latest.values_list("financial_year", flat=True).first()
    spend = dict(
        SpendRecord.objects.filter(area_id__in=list(tree.kinds), financial_year=year)
        .values("area_id")
        .annotate(total=Sum("amount"))
        .values_list("area_id", "total")
    )
    rows = []
    for child in children:
        below = tree.descendants(child.pk)
        population, _level = _population_from(child.pk, below, tree, own)
        lsoas = [pk for pk in below if tree.kinds[pk] == Area.Kind.LSOA]
        scored = [deciles[pk] for pk in lsoas if pk in deciles]
        total_spend = sum((spend.get(pk, Decimal(0)) for pk in [child.pk, *below]), Decimal(0))
        rows.append(
            {
                "area": child,
                "population": population,
                "lsoas": len(lsoas),
                "most_deprived_share": (
                    round(100 * sum(1 for d in scored if d <= 2) / len(scored)) if scored else None
                ),
                "spend": total_spend if year else None,
                "spend_per_head": (
                    (total_spend / population).quantize(Decimal("0.01"))
                    if year and population
                    else None
                ),
            }
        )
    return rows, year


def capacity_history(*, area: Area | None = None, community: CommunityOfInterest | None = None):
    """Assessments, oldest first, for charts over time."""
    assessments = CapacityAssessment.objects.select_related("assessed_by")
    if area is not None:
        assessments = assessments.filter(area=area)
    else:
        assessments = assessments.filter(community=community)
    return list(assessments.order_by("assessed_on"))


def capacity_assessment_on(
    *, day, area: Area | None = None, community: CommunityOfInterest | None = None
) -> CapacityAssessment | None:
    """The assessment already recorded for this area or community on this day, if any."""
    subject = {"area": area} if area is not None else {"community": community}
    return (
        CapacityAssessment.objects.select_related("assessed_by")
        .filter(assessed_on=day, **subject)
        .first()
    )


def capacity_register_figures(
    *, area: Area | None = None, community: CommunityOfInterest | None = None
) -> dict:
    """What the register holds now for an area or community: organisations (and per
    1,000 residents, when the population is known) and skills on offer."""
    assets = Asset.objects.current().filter(moderation=Asset.Moderation.PUBLISHED)
    population = None
    if area is not None:
        assets = assets.filter(area__in=_descendant_ids(area))
        population = area_population(area=area)
    else:
        assets = assets.filter(communities=community)
    counts = assets.aggregate(
        organisations=Count("pk", filter=Q(kind=Asset.Kind.ORGANISATION)),
        skills=Count("pk", filter=Q(kind=Asset.Kind.SKILL)),
    )
    per_1000 = None
    if population:
        per_1000 = (Decimal(counts["organisations"]) * 1000 / population).quantize(Decimal("0.01"))
    return {
        "organisations": counts["organisations"],
        "organisations_per_1000": per_1000,
        "skills_offered": counts["skills"],
    }


# -- Assets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetFilters:
    kind: str = ""
    category: str = ""
    area: Area | None = None
    community: CommunityOfInterest | None = None
    status: str = ""
    search: str = ""


def _asset_base() -> QuerySet[Asset]:
    return Asset.objects.select_related("area", "area__parent", "run_by").prefetch_related(
        "communities"
    )


def _asset_filter(assets: QuerySet[Asset], filters: AssetFilters) -> QuerySet[Asset]:
    if filters.kind:
        assets = assets.filter(kind=filters.kind)
    if filters.category:
        assets = assets.filter(category=filters.category)
    if filters.area is not None:
        assets = assets.filter(area__in=_descendant_ids(filters.area))
    if filters.community is not None:
        assets = assets.filter(communities=filters.community)
    if filters.status:
        assets = assets.filter(status=filters.status)
    if filters.search:
        assets = assets.filter(
            Q(name__icontains=filters.search) | Q(description__icontains=filters.search)
        )
    return assets


def asset_list_public(*, filters: AssetFilters) -> QuerySet[Asset]:
    """What the public map and its list show: published assets, never a person's skill
    without their consent to be shown."""
    return _asset_filter(_asset_base().published(), filters).order_by("name", "pk")


def asset_list_for_user(
    *, user, filters: AssetFilters, moderation: str = "", archived: bool = False
) -> QuerySet[Asset]:
    """The register as a person may read it: assets in their areas, every state."""
    assets = (
        _asset_base()
        .select_related("verified_by", "person")
        .filter(area__in=area_scope_for_user(user=user))
    )
    assets = assets.filter(archived_at__isnull=not archived)
    if moderation:
        assets = assets.filter(moderation=moderation)
    return _asset_filter(assets, filters).order_by("name", "pk")


def asset_get_for_user(*, user, pk: int) -> Asset:
    return (
        _asset_base()
        .select_related("verified_by", "person", "consent_recorded_by")
        .filter(area__in=area_scope_for_user(user=user))
        .get(pk=pk)
    )


def asset_get_public(*, pk: int) -> Asset:
    return _asset_base().published().get(pk=pk)


def asset_geojson(*, assets: QuerySet[Asset]) -> dict:
    """A GeoJSON FeatureCollection of the assets that have a point.

    Read as plain values (two queries, no model instances): the map asks for every
    result at once.
    """
    mapped = assets.prefetch_related(None).filter(latitude__isnull=False, longitude__isnull=False)
    rows = list(
        mapped.values(
            "pk",
            "name",
            "kind",
            "category",
            "status",
            "latitude",
            "longitude",
            "address",
            "postcode",
            "area__name",
        )
    )
    served: dict[int, list[str]] = defaultdict(list)
    for asset_id, name in (
        Asset.communities.through.objects.filter(asset_id__in=mapped.values("pk"))
        .order_by("communityofinterest__name")
        .values_list("asset_id", "communityofinterest__name")
    ):
        served[asset_id].append(name)
    features = []
    for row in rows:
        features.append(
            {
                "type": "Feature",
                "id": row["pk"],
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["longitude"]), float(row["latitude"])],
                },
                "properties": {
                    "name": row["name"],
                    "kind": row["kind"],
                    "kind_label": choice_label(Asset.Kind, row["kind"]),
                    "category": row["category"],
                    "category_label": choice_label(Asset.Category, row["category"]),
                    "status": row["status"],
                    "status_label": choice_label(Asset.Status, row["status"]),
                    "area": row["area__name"],
                    "address": row["address"],
                    "postcode": row["postcode"],
                    "communities": served.get(row["pk"], []),
                    "anchor": f"asset-{row['pk']}",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def community_list_with_figures() -> QuerySet[CommunityOfInterest]:
    latest = CapacityAssessment.objects.filter(community=OuterRef("pk")).order_by("-assessed_on")
    return CommunityOfInterest.objects.annotate(
        asset_count=Count(
            "assets",
            filter=Q(
                assets__archived_at__isnull=True,
                assets__moderation=Asset.Moderation.PUBLISHED,
            ),
            distinct=True,
        ),
        latest_assessed_on=Subquery(latest.values("assessed_on")[:1]),
        latest_confidence=Subquery(latest.values("confidence")[:1]),
    ).prefetch_related("areas")


def community_population(*, community: CommunityOfInterest, area: Area) -> list[dict]:
    """The census population of the community's categories in an area."""
    figures = area_census_tables(area=area)
    rows = []
    for code in community.census_categories or []:
        dimension_code, _, category = code.partition(":")
        for table, figure in figures.items():
            if figure.dimension.code == dimension_code and category in figure.counts:
                rows.append(
                    {
                        "code": code,
                        "label": figure.dimension.category(category).label,
                        "dimension": figure.dimension.label,
                        "count": figure.counts[category],
                        "share": figure.share(category),
                        "table": table,
                    }
                )
                break
    return rows


def spend_total(*, areas) -> Decimal:
    return SpendRecord.objects.filter(area__in=areas).aggregate(
        total=Coalesce(Sum("amount"), Decimal(0))
    )["total"]


def asset_list_for_api(*, areas: QuerySet[Area]) -> QuerySet[Asset]:
    """Places and organisations in `areas` for the partner API: published and current
    only, never a person's skill (an individual's data)."""
    return (
        Asset.objects.published()
        .exclude(kind=Asset.Kind.SKILL)
        .filter(area__in=areas.values("pk"))
        .select_related("area", "run_by")
    )
