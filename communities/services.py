"""Every write in the communities app: imports of ONS files, areas, assets, capacity and
spend. Management commands, background jobs and pages all call these."""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from coproduction.versioning import version_check_and_bump
from governance.audit import audit_record

from . import census
from .importers import CsvFile, ImportFileError, ImportResult, Progress
from .importers.census import read_census
from .importers.deprivation import decile_for_rank, read_deprivation
from .importers.lookups import read_lookup
from .importers.postcodes import read_postcodes
from .importers.spend import read_spend
from .models import (
    CATEGORIES_BY_KIND,
    Area,
    AreaBoundary,
    Asset,
    CapacityAssessment,
    CensusTable,
    CommunityOfInterest,
    DeprivationScore,
    LsoaBestFit,
    PopulationBaseline,
    Postcode,
    SpendRecord,
)

logger = logging.getLogger(__name__)

BATCH = 2_000
CENSUS_YEAR = 2021


def _csv(file, name: str, progress: Progress | None) -> CsvFile:
    return CsvFile(file, name=name, progress=progress)


# -- Census ------------------------------------------------------------------------------


@transaction.atomic
def census_import(
    *, file, name: str = "", table: str | None = None, progress: Progress | None = None
) -> ImportResult:
    """Import one Nomis census table (bulk or API layout) for the council's areas.

    Re-importing a table replaces its counts for each area it covers; areas outside the
    council are skipped. Raises ImportFileError, writing nothing, if the file is malformed.
    """
    csv_file = _csv(file, name, progress)
    area_ids = dict(Area.objects.exclude(gss_code="").values_list("gss_code", "pk"))
    parsed = read_census(csv_file, table=table, keep=set(area_ids))
    result = ImportResult(what=f"Census table {parsed.table}")
    result.skipped = parsed.rows_read - len(parsed.records)
    source = (name or csv_file.name)[:255]

    existing = {
        t.area_id: t
        for t in CensusTable.objects.filter(
            table=parsed.table,
            census_year=CENSUS_YEAR,
            area_id__in=[area_ids[code] for code in parsed.records],
        )
    }
    old_counts: dict[int, dict[str, int]] = defaultdict(dict)
    for table_id, category, count in PopulationBaseline.objects.filter(
        table__in=list(existing.values())
    ).values_list("table_id", "category", "count"):
        old_counts[table_id][category] = count

    to_create: list[CensusTable] = []
    to_update: list[CensusTable] = []
    counts_for: list[tuple[CensusTable, dict[str, int]]] = []
    mismatched = 0
    leaves = {c.code for c in census.table_leaves(parsed.table)}
    for code, record in parsed.records.items():
        area_id = area_ids[code]
        if sum(v for k, v in record.counts.items() if k in leaves) != record.total:
            mismatched += 1
        current = existing.get(area_id)
        if current is None:
            current = CensusTable(
                area_id=area_id,
                table=parsed.table,
                dimension=parsed.dimension,
                census_year=CENSUS_YEAR,
                total=record.total,
                source=source,
            )
            to_create.append(current)
            counts_for.append((current, record.counts))
            result.created += 1
        elif current.total == record.total and old_counts[current.pk] == record.counts:
            result.unchanged += 1
        else:
            current.total = record.total
            current.source = source
            current.dimension = parsed.dimension
            to_update.append(current)
            counts_for.append((current, record.counts))
            result.updated += 1
    CensusTable.objects.bulk_create(to_create, batch_size=BATCH)
    CensusTable.objects.bulk_update(
        to_update, ["total", "source", "dimension", "imported_at"], batch_size=BATCH
    )
    PopulationBaseline.objects.filter(table__in=to_update).delete()
    _baselines_insert(
        (table_row.pk, table_row.area_id, parsed.dimension, category, count)
        for table_row, counts in counts_for
        for category, count in counts.items()
    )
    if parsed.subtotals_left_out:
        result.notes.append(
            f"{parsed.subtotals_left_out} subtotal categories recognised and left out: "
            "they add up categories already counted."
        )
    if parsed.derived_parents:
        result.notes.append(
            f"Groups added up from their parts: {', '.join(parsed.derived_parents)}."
        )
    if mismatched:
        result.notes.append(
            f"In {mismatched} area(s) the categories do not add up to the table's total: "
            "the total is kept as published."
        )
    if result.skipped:
        result.notes.append(
            f"{result.skipped} area(s) in the file are not in the council's area tree."
        )
    return result


def _baselines_insert(rows) -> None:
    """Insert (table_id, area_id, dimension, category, count) rows: with COPY on
    PostgreSQL (a county's TS007 is 100,000 rows), in batches elsewhere."""
    if connection.vendor == "postgresql":
        columns = "table_id, area_id, dimension, category, count"
        table = PopulationBaseline._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    batch = []
    for table_id, area_id, dimension_code, category, count in rows:
        batch.append(
            PopulationBaseline(
                table_id=table_id,
                area_id=area_id,
                dimension=dimension_code,
                category=category,
                count=count,
            )
        )
        if len(batch) >= BATCH:
            PopulationBaseline.objects.bulk_create(batch)
            batch.clear()
    PopulationBaseline.objects.bulk_create(batch)


# -- Deprivation -------------------------------------------------------------------------


@transaction.atomic
def deprivation_import(*, file, name: str = "", progress: Progress | None = None) -> ImportResult:
    """Import IMD ranks and deciles from an Indices of Deprivation "File 1" CSV.

    2019 ranks 2011 LSOAs: an LSOA whose code is unchanged takes its score directly; any
    other takes it through the LSOA 2011 to 2021 best-fit lookup (import_lookup), the mean
    rank where several 2011 LSOAs were merged into it.
    """
    csv_file = _csv(file, name, progress)
    lsoas = dict(Area.objects.filter(kind=Area.Kind.LSOA).values_list("gss_code", "pk"))
    best_fit = dict(
        LsoaBestFit.objects.filter(lsoa21_code__in=list(lsoas)).values_list(
            "lsoa11_code", "lsoa21_code"
        )
    )
    parsed = read_deprivation(csv_file, keep=set(lsoas) | set(best_fit))
    result = ImportResult(what=f"Indices of Deprivation {parsed.edition}")
    scores: dict[int, tuple[int, int, bool]] = {}
    fitted: dict[int, list[int]] = defaultdict(list)
    for row in parsed.rows:
        if row.lsoa_code in lsoas:
            scores[lsoas[row.lsoa_code]] = (row.rank, row.decile, False)
        elif parsed.edition == 2019:
            fitted[lsoas[best_fit[row.lsoa_code]]].append(row.rank)
    for lsoa_id, ranks in fitted.items():
        if lsoa_id in scores:
            continue
        rank = int((Decimal(sum(ranks)) / len(ranks)).to_integral_value(ROUND_HALF_UP))
        scores[lsoa_id] = (rank, decile_for_rank(rank, parsed.edition), True)
    existing = {s.lsoa_id: s for s in DeprivationScore.objects.filter(edition=parsed.edition)}
    now = timezone.now()
    rows = []
    for lsoa_id, (rank, decile, via_best_fit) in scores.items():
        current = existing.get(lsoa_id)
        if current is None:
            result.created += 1
        elif (current.rank, current.decile, current.via_best_fit) == (rank, decile, via_best_fit):
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        rows.append(
            DeprivationScore(
                lsoa_id=lsoa_id,
                edition=parsed.edition,
                rank=rank,
                decile=decile,
                via_best_fit=via_best_fit,
                imported_at=now,
            )
        )
    DeprivationScore.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["lsoa", "edition"],
        update_fields=["rank", "decile", "via_best_fit", "imported_at"],
    )
    result.skipped = parsed.rows_read - len(parsed.rows)
    if fitted:
        result.notes.append(
            f"{sum(1 for lsoa_id in fitted if scores[lsoa_id][2])} LSOA(s) scored through the "
            "2011 to 2021 best-fit lookup."
        )
    missing = len(lsoas) - len(scores) - result.unchanged
    if parsed.edition == 2019 and missing > 0 and not best_fit:
        result.notes.append(
            "Some 2021 LSOAs have no 2019 score: import the LSOA 2011 to 2021 best-fit "
            "lookup, then this file again."
        )
    return result


# -- Lookups -----------------------------------------------------------------------------


@transaction.atomic
def lookup_import(
    *,
    file,
    name: str = "",
    council_code: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import an ONS lookup: LSOA to ward (building the council's tree of wards and LSOAs)
    or the LSOA 2011 to 2021 best fit."""
    csv_file = _csv(file, name, progress)
    parsed = read_lookup(csv_file)
    if parsed.kind == "best_fit":
        return _best_fit_import(parsed)
    return _ward_lookup_import(parsed, council_code=council_code)


def _best_fit_import(parsed) -> ImportResult:
    result = ImportResult(what="LSOA 2011 to 2021 best fit")
    existing = {
        row[0]: row[1:]
        for row in LsoaBestFit.objects.values_list(
            "lsoa11_code", "lsoa21_code", "change", "lsoa11_name"
        )
    }
    rows = []
    now = timezone.now()
    for row in parsed.rows:
        current = existing.get(row.lsoa11_code)
        if current is None:
            result.created += 1
        elif current == (row.lsoa21_code, row.change, row.lsoa11_name):
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        rows.append(
            LsoaBestFit(
                lsoa11_code=row.lsoa11_code,
                lsoa11_name=row.lsoa11_name,
                lsoa21_code=row.lsoa21_code,
                change=row.change,
                imported_at=now,
            )
        )
    LsoaBestFit.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["lsoa11_code"],
        update_fields=["lsoa11_name", "lsoa21_code", "change", "imported_at"],
    )
    return result


def _ward_lookup_import(parsed, *, council_code: str | None) -> ImportResult:
    result = ImportResult(what="Wards and LSOAs")
    lad_names = {row.lad_code: row.lad_name for row in parsed.rows}
    councils = {a.gss_code: a for a in Area.objects.filter(kind=Area.Kind.COUNCIL)}
    if council_code:
        if council_code not in lad_names:
            raise ImportFileError(
                [{"line": None, "column": "", "message": f"{council_code} is not in the file."}]
            )
        targets = {council_code}
    else:
        targets = set(lad_names) & set(councils)
        if not targets:
            if len(lad_names) != 1:
                raise ImportFileError(
                    [
                        {
                            "line": None,
                            "column": "",
                            "message": f"The file covers {len(lad_names)} local authorities "
                            "and none is a council here yet: name yours by its GSS code, "
                            "e.g. E06000005 (in the Council's GSS code box on the import "
                            "page, or --council for import_lookup).",
                        }
                    ]
                )
            targets = set(lad_names)
    for code in targets:
        if code not in councils:
            conflict = Area.objects.filter(gss_code=code).first()
            if conflict is not None:
                raise ImportFileError(
                    [
                        {
                            "line": None,
                            "column": "",
                            "message": f"{code} is already {conflict}, not a council.",
                        }
                    ]
                )
            councils[code] = Area.objects.create(
                name=lad_names[code], kind=Area.Kind.COUNCIL, gss_code=code
            )
            result.created += 1
            result.notes.append(f"Council created: {lad_names[code]} ({code}).")

    rows = [row for row in parsed.rows if row.lad_code in targets]
    result.skipped = parsed.rows_read - len(rows)
    codes = {row.ward_code for row in rows} | {row.lsoa_code for row in rows}
    existing = {a.gss_code: a for a in Area.objects.filter(gss_code__in=codes)}
    errors = []
    for row in rows:
        for code, kind in ((row.ward_code, Area.Kind.WARD), (row.lsoa_code, Area.Kind.LSOA)):
            area = existing.get(code)
            if area is not None and area.kind != kind:
                errors.append(
                    {
                        "line": row.line,
                        "column": "",
                        "message": f"{code} is already {area} ({area.get_kind_display()}).",
                    }
                )
    if errors:
        raise ImportFileError(errors[:200])

    # Wards first, under the council unless an officer already placed them in an area.
    wards: dict[str, Area] = {}
    new_wards = []
    changed_wards = []
    for row in rows:
        if row.ward_code in wards:
            continue
        ward = existing.get(row.ward_code)
        if ward is None:
            ward = Area(
                name=row.ward_name,
                kind=Area.Kind.WARD,
                gss_code=row.ward_code,
                parent=councils[row.lad_code],
            )
            new_wards.append(ward)
        elif ward.name != row.ward_name:
            ward.name = row.ward_name
            changed_wards.append(ward)
        wards[row.ward_code] = ward
    Area.objects.bulk_create(new_wards, batch_size=BATCH)
    Area.objects.bulk_update(changed_wards, ["name", "updated_at"], batch_size=BATCH)
    new_lsoas = []
    changed_lsoas = []
    for row in rows:
        ward = wards[row.ward_code]
        lsoa = existing.get(row.lsoa_code)
        if lsoa is None:
            new_lsoas.append(
                Area(name=row.lsoa_name, kind=Area.Kind.LSOA, gss_code=row.lsoa_code, parent=ward)
            )
        elif lsoa.name != row.lsoa_name or lsoa.parent_id != ward.pk:
            lsoa.name = row.lsoa_name
            lsoa.parent = ward
            changed_lsoas.append(lsoa)
    Area.objects.bulk_create(new_lsoas, batch_size=BATCH)
    Area.objects.bulk_update(changed_lsoas, ["name", "parent", "updated_at"], batch_size=BATCH)
    result.created += len(new_wards) + len(new_lsoas)
    result.updated += len(changed_wards) + len(changed_lsoas)
    result.unchanged += len(wards) - len(new_wards) - len(changed_wards)
    result.unchanged += len(rows) - len(new_lsoas) - len(changed_lsoas)
    result.notes.append(
        f"{len(wards)} ward(s) and {len(rows)} LSOA(s) in the file for the council."
    )
    return result


# -- Postcodes ---------------------------------------------------------------------------


@transaction.atomic
def postcode_import(*, file, name: str = "", progress: Progress | None = None) -> ImportResult:
    """Import the council's postcodes from an ONSPD or NSPL extract (or the whole
    directory: only postcodes in the council's LSOAs or wards are kept)."""
    csv_file = _csv(file, name, progress)
    lsoas = {
        code: (pk, parent_id)
        for code, pk, parent_id in Area.objects.filter(kind=Area.Kind.LSOA).values_list(
            "gss_code", "pk", "parent_id"
        )
    }
    wards = dict(Area.objects.filter(kind=Area.Kind.WARD).values_list("gss_code", "pk"))
    if not lsoas and not wards:
        raise ImportFileError(
            [
                {
                    "line": None,
                    "column": "",
                    "message": "No wards or LSOAs yet: import the LSOA to ward lookup first.",
                }
            ]
        )
    existing = {
        row[0]: row[1:]
        for row in Postcode.objects.values_list(
            "postcode", "lsoa_id", "ward_id", "latitude", "longitude", "terminated"
        )
    }
    result = ImportResult(what="Postcodes")
    now = timezone.now()
    batch: list[Postcode] = []
    seen: set[str] = set()

    def flush() -> None:
        Postcode.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["lsoa", "ward", "latitude", "longitude", "terminated", "imported_at"],
        )
        batch.clear()

    for row in read_postcodes(csv_file, lsoas=set(lsoas), wards=set(wards)):
        if row.postcode in seen:
            raise ImportFileError(
                [{"line": row.line, "column": "", "message": f"{row.postcode} appears twice."}]
            )
        seen.add(row.postcode)
        lsoa_id, lsoa_ward = lsoas.get(row.lsoa_code, (None, None))
        ward_id = wards.get(row.ward_code) or lsoa_ward
        values = (lsoa_id, ward_id, row.latitude, row.longitude, row.terminated)
        current = existing.get(row.postcode)
        if current is None:
            result.created += 1
        elif current == values:
            result.unchanged += 1
            continue
        else:
            result.updated += 1
        batch.append(
            Postcode(
                postcode=row.postcode,
                lsoa_id=lsoa_id,
                ward_id=ward_id,
                latitude=row.latitude,
                longitude=row.longitude,
                terminated=row.terminated,
                imported_at=now,
            )
        )
        if len(batch) >= BATCH:
            flush()
    flush()
    return result


# -- Spend -------------------------------------------------------------------------------


@transaction.atomic
def spend_import(
    *,
    file,
    name: str = "",
    areas: QuerySet[Area] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import spend records; `areas` limits which areas the file may name (an officer's)."""
    csv_file = _csv(file, name, progress)
    rows = read_spend(csv_file)
    allowed = areas if areas is not None else Area.objects.all()
    by_code = {a.gss_code.upper(): a for a in allowed.exclude(gss_code="")}
    by_name: dict[str, list[Area]] = defaultdict(list)
    for area in allowed:
        by_name[area.name.lower()].append(area)
    errors = []
    resolved = []
    for row in rows:
        if row.by_code:
            area = by_code.get(row.area_key.upper())
            problem = None if area else f"{row.area_key!r} is not the code of one of your areas."
        else:
            matches = by_name.get(row.area_key.lower(), [])
            area = matches[0] if len(matches) == 1 else None
            problem = (
                None
                if area
                else (
                    f"{row.area_key!r} names more than one area: use area_code instead."
                    if matches
                    else f"{row.area_key!r} is not one of your areas."
                )
            )
        if problem:
            errors.append(
                {
                    "line": row.line,
                    "column": "area_code" if row.by_code else "area",
                    "message": problem,
                }
            )
            continue
        resolved.append((area, row))
    if errors:
        raise ImportFileError(errors[:200])
    result = ImportResult(what="Spend records")
    source = (name or csv_file.name)[:255]
    existing = {
        (r.area_id, r.service.lower(), r.agency.lower(), r.financial_year): r
        for r in SpendRecord.objects.filter(area__in={area.pk for area, _ in resolved})
    }
    for area, row in resolved:
        key = (area.pk, row.service.lower(), row.agency.lower(), row.financial_year)
        current = existing.get(key)
        if current is None:
            SpendRecord.objects.create(
                area=area,
                service=row.service,
                agency=row.agency,
                financial_year=row.financial_year,
                amount=row.amount,
                source=source,
            )
            result.created += 1
        elif current.amount == row.amount:
            result.unchanged += 1
        else:
            current.amount = row.amount
            current.source = source
            current.save(update_fields=["amount", "source", "updated_at"])
            result.updated += 1
    return result


# -- Areas -------------------------------------------------------------------------------


@transaction.atomic
def area_create(
    *,
    name: str,
    kind: str,
    parent: Area | None,
    type_label: str = "",
    gss_code: str = "",
    boundary: dict | None = None,
    wards: Iterable[Area] = (),
) -> Area:
    """Create an area; an area that groups wards takes the wards given."""
    area = Area(
        name=name,
        kind=kind,
        parent=parent,
        type_label=type_label,
        gss_code=gss_code,
    )
    area.full_clean()
    area.save()
    if boundary is not None:
        area_boundary_set(area=area, geometry=boundary)
    _wards_move(area=area, wards=wards)
    return area


@transaction.atomic
def area_update(
    *,
    area: Area,
    name: str,
    type_label: str,
    gss_code: str,
    parent: Area | None,
    boundary: dict | None,
    wards: Iterable[Area] | None = None,
) -> Area:
    area.name = name
    area.type_label = type_label
    area.gss_code = gss_code
    area.parent = parent
    area.full_clean()
    area.save()
    area_boundary_set(area=area, geometry=boundary)
    if wards is not None:
        _wards_move(area=area, wards=wards)
    return area


def area_boundary_set(*, area: Area, geometry: dict | None) -> None:
    """Give the area this boundary (GeoJSON geometry), or none."""
    if geometry is None:
        AreaBoundary.objects.filter(area=area).delete()
    else:
        AreaBoundary.objects.update_or_create(area=area, defaults={"geometry": geometry})


def _wards_move(*, area: Area, wards: Iterable[Area]) -> None:
    """Make exactly these wards the area's own; wards taken away go back to the council."""
    if area.kind != Area.Kind.AREA:
        return
    chosen = {ward.pk for ward in wards}
    council = area.parent
    Area.objects.filter(parent=area, kind=Area.Kind.WARD).exclude(pk__in=chosen).update(
        parent=council, updated_at=timezone.now()
    )
    Area.objects.filter(pk__in=chosen, kind=Area.Kind.WARD).update(
        parent=area, updated_at=timezone.now()
    )


# -- Assets ------------------------------------------------------------------------------

ASSET_FIELDS = (
    "kind",
    "category",
    "name",
    "description",
    "area",
    "latitude",
    "longitude",
    "address",
    "postcode",
    "contact_name",
    "contact_email",
    "contact_phone",
    "website",
    "opening_times",
    "capacity",
    "charity_number",
    "company_number",
    "run_by",
    "status",
    "person",
    "consent_to_publish",
)
# Fields that may hold personal data: a change to any of them is audited.
PERSONAL_FIELDS = {
    "contact_name",
    "contact_email",
    "contact_phone",
    "person",
    "consent_to_publish",
    "suggested_by_name",
    "suggested_by_email",
}


def _asset_check(asset: Asset) -> None:
    if asset.category not in CATEGORIES_BY_KIND.get(asset.kind, ()):
        raise ValidationError(
            {"category": "Choose a type that matches the kind of asset."}, code="category"
        )
    if asset.kind == Asset.Kind.SKILL:
        if asset.person_id is None:
            raise ValidationError({"person": "Choose the person who offers the skill."})
        if asset.latitude is not None or asset.longitude is not None:
            raise ValidationError("A person's skill has no location on the map.")
    elif asset.person_id is not None:
        raise ValidationError({"person": "Only a skill is offered by a person."})
    if (asset.latitude is None) != (asset.longitude is None):
        raise ValidationError("Give both latitude and longitude, or neither.")
    if asset.run_by_id is not None and asset.kind != Asset.Kind.PLACE:
        raise ValidationError({"run_by": "Only a place is run by an organisation."})


def _locate_from_postcode(asset: Asset) -> None:
    """Fill a place's point (and normalise its postcode) from the postcode directory."""
    from .postcodes import postcode_locate, postcode_normalise

    if not asset.postcode:
        return
    asset.postcode = postcode_normalise(asset.postcode) or asset.postcode.upper()
    if asset.kind == Asset.Kind.SKILL or asset.latitude is not None:
        return
    location = postcode_locate(postcode=asset.postcode)
    if location is not None and location.latitude is not None:
        asset.latitude = Decimal(str(location.latitude)).quantize(Decimal("0.000001"))
        asset.longitude = Decimal(str(location.longitude)).quantize(Decimal("0.000001"))


@transaction.atomic
def asset_create(
    *,
    actor,
    kind: str,
    category: str,
    name: str,
    area: Area,
    communities: Iterable[CommunityOfInterest] = (),
    consent_recorded: bool = False,
    **fields,
) -> Asset:
    """Add an asset to the register, published at once (an officer's own entry).

    A person's skill needs the person's consent recorded (consent_recorded=True says the
    officer has it); it shows on the public map only if consent_to_publish is also given.
    """
    unknown = set(fields) - set(ASSET_FIELDS)
    if unknown:
        raise TypeError(f"Unknown asset fields: {sorted(unknown)}")
    asset = Asset(
        kind=kind,
        category=category,
        name=name,
        area=area,
        created_by=actor,
        moderation=Asset.Moderation.PUBLISHED,
        **fields,
    )
    if kind == Asset.Kind.SKILL:
        if not consent_recorded:
            raise ValidationError(
                "A person's skill can be added only with their consent recorded."
            )
        asset.consent_recorded_at = timezone.now()
        asset.consent_recorded_by = actor
    _locate_from_postcode(asset)
    _asset_check(asset)
    asset.full_clean(exclude=["communities"])
    asset.save()
    asset.communities.set(communities)
    audit_record(
        actor=actor,
        action="communities.asset.create",
        obj=asset,
        fields=[f for f in PERSONAL_FIELDS if getattr(asset, f if f != "person" else "person_id")],
    )
    return asset


@transaction.atomic
def asset_update(
    *,
    actor,
    asset: Asset,
    expected_version: int,
    communities: Iterable[CommunityOfInterest] | None = None,
    **fields,
) -> Asset:
    """Change an asset; refused (EditConflictError) if someone else saved it meanwhile."""
    unknown = set(fields) - set(ASSET_FIELDS)
    if unknown:
        raise TypeError(f"Unknown asset fields: {sorted(unknown)}")
    locked = Asset.objects.select_for_update().get(pk=asset.pk)
    changed = []
    for field_name, value in fields.items():
        if getattr(locked, field_name) != value:
            setattr(locked, field_name, value)
            changed.append(field_name)
    if "postcode" in changed and "latitude" not in fields:
        locked.latitude = locked.longitude = None
    _locate_from_postcode(locked)
    _asset_check(locked)
    locked.full_clean(exclude=["communities"])
    version_check_and_bump(instance=locked, expected_version=expected_version)
    locked.save()
    if communities is not None:
        before = set(locked.communities.values_list("pk", flat=True))
        after = {c.pk for c in communities}
        if before != after:
            locked.communities.set(after)
            changed.append("communities")
    if changed:
        audit_record(actor=actor, action="communities.asset.update", obj=locked, fields=changed)
    return locked


@transaction.atomic
def asset_verify(*, actor, asset: Asset, on: date | None = None) -> Asset:
    """Record that an officer checked the asset's details are still right."""
    asset.last_verified_on = on or timezone.localdate()
    asset.verified_by = actor
    asset.save(update_fields=["last_verified_on", "verified_by", "updated_at"])
    audit_record(actor=actor, action="communities.asset.verify", obj=asset)
    return asset


@transaction.atomic
def asset_archive(*, actor, asset: Asset) -> Asset:
    """Take an asset off the map and the register's current list; kept for the record."""
    if asset.archived_at is not None:
        return asset
    asset.archived_at = timezone.now()
    asset.save(update_fields=["archived_at", "updated_at"])
    audit_record(actor=actor, action="communities.asset.archive", obj=asset)
    return asset


@transaction.atomic
def asset_restore(*, actor, asset: Asset) -> Asset:
    if asset.archived_at is None:
        return asset
    asset.archived_at = None
    asset.save(update_fields=["archived_at", "updated_at"])
    audit_record(actor=actor, action="communities.asset.restore", obj=asset)
    return asset


@transaction.atomic
def asset_suggest(
    *,
    kind: str,
    category: str,
    name: str,
    area: Area,
    description: str = "",
    address: str = "",
    postcode: str = "",
    website: str = "",
    opening_times: str = "",
    suggested_by_name: str = "",
    suggested_by_email: str = "",
) -> Asset:
    """A resident's or visitor's suggestion from the public form: held for review.

    Only places and organisations can be suggested: a person's skill needs that person's
    own consent, recorded by an officer.
    """
    if kind == Asset.Kind.SKILL:
        raise ValidationError("A person's skill cannot be suggested by someone else.")
    duplicate = (
        Asset.objects.awaiting_review()
        .filter(name__iexact=name.strip(), area=area, kind=kind)
        .first()
    )
    if duplicate is not None:
        # A repeated submission (a double click, a resend) returns the first one.
        return duplicate
    asset = Asset(
        kind=kind,
        category=category,
        name=name.strip(),
        area=area,
        description=description,
        address=address,
        postcode=postcode,
        website=website,
        opening_times=opening_times,
        suggested_by_name=suggested_by_name,
        suggested_by_email=suggested_by_email,
        moderation=Asset.Moderation.SUGGESTED,
    )
    _locate_from_postcode(asset)
    _asset_check(asset)
    asset.full_clean(exclude=["communities"])
    asset.save()
    return asset


@transaction.atomic
def asset_moderate(*, actor, asset: Asset, publish: bool) -> Asset:
    """Publish or reject a suggestion. The suggester's details are then erased: they were
    kept only to ask about the suggestion while it was reviewed."""
    if asset.moderation != Asset.Moderation.SUGGESTED:
        return asset
    asset.moderation = Asset.Moderation.PUBLISHED if publish else Asset.Moderation.REJECTED
    had_personal = bool(asset.suggested_by_name or asset.suggested_by_email)
    asset.suggested_by_name = ""
    asset.suggested_by_email = ""
    if publish:
        asset.created_by = asset.created_by or actor
    asset.save()
    audit_record(
        actor=actor,
        action="communities.asset.publish" if publish else "communities.asset.reject",
        obj=asset,
        fields=["suggested_by_name", "suggested_by_email"] if had_personal else [],
    )
    return asset


@transaction.atomic
def skill_consent_withdraw(*, actor, asset: Asset) -> Asset:
    """The person withdrew consent: the skill leaves the register (archived, unpublished)."""
    asset.consent_to_publish = False
    asset.archived_at = asset.archived_at or timezone.now()
    asset.save(update_fields=["consent_to_publish", "archived_at", "updated_at"])
    audit_record(
        actor=actor,
        action="communities.asset.consent_withdrawn",
        obj=asset,
        fields=["consent_to_publish"],
    )
    return asset


# -- Capacity ----------------------------------------------------------------------------


@transaction.atomic
def capacity_assessment_record(
    *,
    actor,
    assessed_on: date,
    volunteers: int,
    digital_skills: int,
    confidence: int,
    area: Area | None = None,
    community: CommunityOfInterest | None = None,
    notes: str = "",
) -> CapacityAssessment:
    """Record (or correct, for the same day) an assessment of an area's or a community's
    capacity. Organisations per 1,000 residents and skills offered are counted from the
    register now, so that the figures stay as they were on the day."""
    from .selectors import capacity_register_figures

    if (area is None) == (community is None):
        raise ValidationError("Assess either an area or a community of interest.")
    figures = capacity_register_figures(area=area, community=community)
    assessment, _created = CapacityAssessment.objects.update_or_create(
        area=area,
        community=community,
        assessed_on=assessed_on,
        defaults={
            "assessed_by": actor,
            "volunteers": volunteers,
            "digital_skills": digital_skills,
            "confidence": confidence,
            "notes": notes,
            "organisations": figures["organisations"],
            "organisations_per_1000": figures["organisations_per_1000"],
            "skills_offered": figures["skills_offered"],
        },
    )
    assessment.full_clean()
    return assessment


# -- Spend -------------------------------------------------------------------------------


@transaction.atomic
def spend_record_set(
    *,
    area: Area,
    service: str,
    agency: str,
    financial_year: int,
    amount: Decimal,
    source: str = "",
) -> SpendRecord:
    """Record the spend for an area, service, agency and year (replacing what was there)."""
    record, _created = SpendRecord.objects.update_or_create(
        area=area,
        service=service.strip(),
        agency=agency.strip(),
        financial_year=financial_year,
        defaults={"amount": amount, "source": source},
    )
    record.full_clean()
    return record


# Fields a partner agency's API client may give when it adds a place or organisation.
ASSET_API_FIELDS = (
    "description",
    "latitude",
    "longitude",
    "address",
    "postcode",
    "website",
    "opening_times",
    "capacity",
    "charity_number",
    "company_number",
    "status",
)


@transaction.atomic
def asset_create_by_agency(
    *, api_client: str, kind: str, category: str, name: str, area: Area, **fields
) -> Asset:
    """A place or organisation a partner agency adds to the register through its API
    client (the fire service's community rooms, a police-run youth project). Published at
    once, like an officer's entry; never a person's skill."""
    if kind == Asset.Kind.SKILL:
        raise ValidationError(
            {"kind": "A person's skill is recorded by the council, with their consent."}
        )
    unknown = set(fields) - set(ASSET_API_FIELDS)
    if unknown:
        raise TypeError(f"Unknown asset fields: {sorted(unknown)}")
    asset = Asset(
        kind=kind,
        category=category,
        name=name,
        area=area,
        moderation=Asset.Moderation.PUBLISHED,
        **fields,
    )
    _locate_from_postcode(asset)
    _asset_check(asset)
    asset.full_clean(exclude=["communities"])
    asset.save()
    audit_record(
        actor=None,
        api_client=api_client,
        action="communities.asset.create",
        obj=asset,
        fields=["kind", "category", "name", "area", *fields],
    )
    return asset
