"""A county's ONS files imported, and the area and map queries over them.

County scale: about 300 wards in 12 areas, 1,000 LSOAs, all eight census tables (the
seven topics, age twice), IMD 2025, 20 postcodes per LSOA and 1,000 assets. Prints the
time of each import, of re-importing a table unchanged (ratio to the first import), and
of the reads behind the area page, the area list and the map's GeoJSON (ratio of the
council's page, which sums 1,000 LSOAs, to a ward's).
"""

import io
import random
import time
from decimal import Decimal

from benchmarks.harness import Figure, benchmark_database, timed

SCALES = {"small": (30, 100, 100), "county": (300, 1000, 1000), "national": (600, 3000, 3000)}
COUNCIL = ("E06000990", "Benchshire")


def _file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def _once(func) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def run(options) -> list[Figure]:
    from communities import census, selectors, services
    from communities.models import Area, Asset, PopulationBaseline
    from coproduction.accounts.models import User
    from tests.communities import onsfiles

    wards_n, lsoas_n, assets_n = SCALES[options.scale]
    rng = random.Random(7)
    wards = [(f"E05{900000 + w:06d}", f"Ward {w}") for w in range(wards_n)]
    lsoas = [
        (f"E01{900000 + n:06d}", f"Benchshire {n:04d}A", *wards[n * wards_n // lsoas_n])
        for n in range(lsoas_n)
    ]
    figures: list[Figure] = []
    with benchmark_database():
        lookup = onsfiles.ward_lookup(lsoas, lad=COUNCIL)
        figures.append(
            Figure(
                f"import_lookup ({lsoas_n:,} LSOAs, {wards_n} wards)",
                _once(lambda: services.lookup_import(file=_file(lookup), name="lookup.csv")),
            )
        )
        council = Area.objects.get(gss_code=COUNCIL[0])
        ward_areas = list(Area.objects.filter(kind=Area.Kind.WARD).order_by("gss_code"))
        groups = []
        for g in range(12):
            groups.append(
                services.area_create(
                    name=f"Area {g + 1}",
                    kind=Area.Kind.AREA,
                    parent=council,
                    type_label="Area Action Partnership",
                    wards=ward_areas[g::12],
                )
            )

        total_census = 0.0
        first_ts007 = 0.0
        for table in census.TABLES:
            rows = {}
            for code, name, *_ in lsoas:
                counts = {c.code: rng.randint(0, 40) for c in census.table_leaves(table)}
                rows[code] = (name, counts)
            text = onsfiles.census_wide(table, rows, suffix=table == "TS007")
            seconds = _once(
                lambda text=text, table=table: services.census_import(
                    file=_file(text), name=f"{table}.csv"
                )
            )
            total_census += seconds
            figures.append(Figure(f"import_census {table} ({lsoas_n:,} LSOAs)", seconds))
            if table == "TS007":
                first_ts007 = seconds
                again = _once(
                    lambda text=text: services.census_import(file=_file(text), name="again.csv")
                )
                figures.append(
                    Figure("import_census TS007 again (unchanged)", again, baseline=first_ts007)
                )
        figures.append(
            Figure(
                f"import_census all 8 tables ({PopulationBaseline.objects.count():,} counts)",
                total_census,
                goal="seconds",
            )
        )
        imd = onsfiles.imd_file(
            2025,
            {code: (name, n * 30 + 1, 1 + n % 10) for n, (code, name, *_r) in enumerate(lsoas)},
            lad=COUNCIL,
        )
        figures.append(
            Figure(
                "import_imd 2025",
                _once(lambda: services.deprivation_import(file=_file(imd), name="imd.csv")),
            )
        )
        postcode_rows = []
        for n, (code, _name, ward_code, _ward_name) in enumerate(lsoas):
            for p in range(20):
                letters = "ABDEFGHJLN"[n % 10] + "ABDEFGHJLNPQRSTUWXYZ"[p]
                postcode = f"BS{1 + n // 100} {n % 100 // 10}{letters}"
                postcode_rows.append(
                    (postcode, code, ward_code, 54 + rng.random() / 5, -1.5 + rng.random() / 5, "")
                )
        nspl = onsfiles.nspl_file(postcode_rows)
        figures.append(
            Figure(
                f"import_postcodes ({len(postcode_rows):,} postcodes)",
                _once(lambda: services.postcode_import(file=_file(nspl), name="nspl.csv")),
            )
        )

        Asset.objects.bulk_create(
            [
                Asset(
                    kind=Asset.Kind.PLACE,
                    category=Asset.Category.COMMUNITY_CENTRE,
                    name=f"Centre {n}",
                    area=ward_areas[n % len(ward_areas)],
                    latitude=Decimal("54.5") + Decimal(n) / 10000,
                    longitude=Decimal("-1.5") + Decimal(n) / 10000,
                )
                for n in range(assets_n)
            ]
        )
        admin = User.objects.create_superuser(
            email="bench@example.org", password="x" * 16, full_name="Bench"
        )

        def area_page(area):
            tables = selectors.area_census_tables(area=area)
            selectors.area_population(area=area, tables=tables)
            selectors.area_deprivation(area=area)
            selectors.area_spend(area=area)
            if area.kind != Area.Kind.LSOA:
                selectors.area_children_figures(area=area)

        ward_time = timed(lambda: area_page(ward_areas[0]))
        figures.append(Figure("area page reads: a ward", ward_time))
        figures.append(
            Figure(
                "area page reads: an area of ~25 wards",
                timed(lambda: area_page(groups[0])),
                baseline=ward_time,
            )
        )
        figures.append(
            Figure(
                f"area page reads: the council ({lsoas_n:,} LSOAs)",
                timed(lambda: area_page(council)),
                baseline=ward_time,
                goal="under a second",
            )
        )
        figures.append(
            Figure(
                f"area list ({wards_n + 13} areas)",
                timed(lambda: selectors.area_list_with_figures(user=admin)),
            )
        )
        figures.append(
            Figure(
                f"map GeoJSON ({assets_n:,} assets)",
                timed(
                    lambda: selectors.asset_geojson(
                        assets=selectors.asset_list_public(filters=selectors.AssetFilters())
                    )
                ),
            )
        )
    return figures
