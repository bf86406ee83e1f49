"""Small ONS files in the exact layouts ONS and Nomis publish, for tests, the demo and the
benchmark. Each builder returns the file's text.

Layouts (checked against published files):
- Nomis bulk census CSV: `date,geography,geography code,"<Variable>: Total...",...`;
  TS007 lists each subtotal ("Age: Aged 4 years and under") before its single years, and
  some tables suffix every column with "; measures: Value".
- Nomis API CSV: `DATE,DATE_NAME,GEOGRAPHY,GEOGRAPHY_NAME,GEOGRAPHY_CODE,GEOGRAPHY_TYPE,
  <DIM>,<DIM>_NAME,MEASURES,MEASURES_NAME,OBS_VALUE,OBS_STATUS,RECORD_OFFSET,RECORD_COUNT`
  where <DIM> 0 is the total and 1001+ the aggregates.
- IoD "File 1", ONS LSOA to ward lookups, the LSOA 2011 to 2021 best fit, ONSPD and NSPL.
"""

import csv
import io
from collections.abc import Iterable

from communities import census

VARIABLES = {
    "age": "Age",
    "sex": "Sex",
    "ethnic_group": "Ethnic group",
    "disability": "Disability",
    "religion": "Religion",
    "sexual_orientation": "Sexual orientation",
    "gender_identity": "Gender identity",
}
TOTAL_LABELS = {
    "TS007": "Total",
    "TS007A": "Total",
    "TS008": "All persons",
    "TS021": "Total: All usual residents",
    "TS030": "Total: All usual residents",
    "TS038": "Total: All usual residents",
    "TS077": "Total: All usual residents aged 16 years and over",
    "TS078": "Total: All usual residents aged 16 years and over",
}
# TS007's subtotals, each listed before the single years it adds up.
TS007_GROUPS = [
    (0, 4, "Aged 4 years and under"),
    (5, 9, "Aged 5 to 9 years"),
    (10, 15, "Aged 10 to 15 years"),
    (16, 19, "Aged 16 to 19 years"),
    (20, 24, "Aged 20 to 24 years"),
    (25, 34, "Aged 25 to 34 years"),
    (35, 49, "Aged 35 to 49 years"),
    (50, 64, "Aged 50 to 64 years"),
    (65, 74, "Aged 65 to 74 years"),
    (75, 84, "Aged 75 to 84 years"),
    (85, 100, "Aged 85 years and over"),
]


def _text(rows: Iterable[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()


def _columns(table: str, *, nested_age: bool) -> list[tuple[str, list[str] | None]]:
    """(label path after the variable, leaf codes it adds up or None for a leaf code)."""
    categories = census.table_categories(table)
    if table == "TS007":
        columns = []
        for low, high, label in TS007_GROUPS:
            codes = [f"y{age}" for age in range(low, high + 1)]
            columns.append((label, codes))
            for code in codes:
                leaf = census.dimension("age").category(code).label
                columns.append((f"{label}: {leaf}" if nested_age else leaf, [code]))
        return columns
    by_code = {c.code: c for c in categories}
    columns = []
    for category in categories:
        if category.parent:
            continue
        children = [c for c in categories if c.parent == category.code]
        columns.append((category.label, [c.code for c in children] or [category.code]))
        for child in children:
            columns.append((f"{by_code[category.code].label}: {child.label}", [child.code]))
    return columns


def census_wide(
    table: str,
    rows: dict[str, tuple[str, dict[str, int]]],
    *,
    totals: dict[str, int] | None = None,
    suffix: bool = False,
    nested_age: bool = False,
) -> str:
    """A Nomis bulk download. rows: {gss code: (name, {leaf code: count})}; totals
    overrides a geography's total (as perturbation leaves it)."""
    variable = VARIABLES[census.TABLES[table]["dimension"]]
    end = "; measures: Value" if suffix else ""
    columns = _columns(table, nested_age=nested_age)
    header = ["date", "geography", "geography code", f"{variable}: {TOTAL_LABELS[table]}{end}"]
    header += [f"{variable}: {label}{end}" for label, _codes in columns]
    lines = [header]
    for code, (name, counts) in rows.items():
        total = (totals or {}).get(
            code, sum(counts.get(c.code, 0) for c in census.table_leaves(table))
        )
        line = [2021, name, code, total]
        line += [sum(counts.get(leaf, 0) for leaf in codes) for _label, codes in columns]
        lines.append(line)
    return _text(lines)


def census_long(
    table: str,
    rows: dict[str, tuple[str, dict[str, int]]],
    *,
    with_percent: bool = True,
) -> str:
    """A Nomis API download (one row per geography and category)."""
    dimension = census.TABLES[table]["nomis_dimension"].upper()
    header = [
        "DATE",
        "DATE_NAME",
        "GEOGRAPHY",
        "GEOGRAPHY_NAME",
        "GEOGRAPHY_CODE",
        "GEOGRAPHY_TYPE",
        dimension,
        f"{dimension}_NAME",
        "MEASURES",
        "MEASURES_NAME",
        "OBS_VALUE",
        "OBS_STATUS",
        "RECORD_OFFSET",
        "RECORD_COUNT",
    ]
    lines = [header]
    offset = 0
    columns = _columns(table, nested_age=False)
    for geography_id, (code, (name, counts)) in enumerate(rows.items(), start=1):
        total = sum(counts.get(c.code, 0) for c in census.table_leaves(table))
        entries = [(0, TOTAL_LABELS[table] if table != "TS008" else "All persons", total)]
        aggregate = 1000
        for index, (label, codes) in enumerate(columns, start=1):
            value = sum(counts.get(leaf, 0) for leaf in codes)
            if len(codes) > 1:
                aggregate += 1
                entries.append((aggregate, label, value))
            else:
                entries.append((index, label, value))
        for dim_code, label, value in entries:
            measures = [(20100, "Value", value)]
            if with_percent:
                measures.append((20301, "Percent", round(100 * value / total, 1) if total else 0))
            for measure, measure_name, figure in measures:
                lines.append(
                    [
                        2021,
                        2021,
                        1000 + geography_id,
                        name,
                        code,
                        "2022 electoral wards"
                        if code.startswith("E05")
                        else "2021 super output areas - lower layer",
                        dim_code,
                        label,
                        measure,
                        measure_name,
                        figure,
                        "A",
                        offset,
                        "",
                    ]
                )
                offset += 1
    return _text(lines)


def imd_file(
    edition: int, rows: dict[str, tuple[str, int, int]], *, lad=("E06000990", "Northfield")
) -> str:
    """The IoD File 1. rows: {lsoa code: (name, rank, decile)}."""
    year = "2011" if edition == 2019 else "2021"
    lad_year = "2019" if edition == 2019 else "2024"
    header = [
        f"LSOA code ({year})",
        f"LSOA name ({year})",
        f"Local Authority District code ({lad_year})",
        f"Local Authority District name ({lad_year})",
        "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
    ]
    return _text(
        [header]
        + [
            [code, name, lad[0], lad[1], f"{rank:,}", decile]
            for code, (name, rank, decile) in rows.items()
        ]
    )


def ward_lookup(
    rows: Iterable[tuple[str, str, str, str]], *, lad=("E06000990", "Northfield"), year: int = 21
) -> str:
    """LSOA to ward to LAD. rows: (lsoa code, lsoa name, ward code, ward name)."""
    ward_year = 22 if year == 21 else 19
    header = [
        f"LSOA{year}CD",
        f"LSOA{year}NM",
        f"WD{ward_year}CD",
        f"WD{ward_year}NM",
        f"LAD{ward_year}CD",
        f"LAD{ward_year}NM",
        "ObjectId",
    ]
    return _text(
        [header] + [[*row, lad[0], lad[1], index] for index, row in enumerate(rows, start=1)]
    )


def best_fit_lookup(
    rows: Iterable[tuple[str, str, str]], *, lad=("E06000990", "Northfield")
) -> str:
    """LSOA 2011 to 2021 best fit. rows: (lsoa11 code, lsoa21 code, CHGIND)."""
    header = [
        "LSOA11CD",
        "LSOA11NM",
        "LSOA21CD",
        "LSOA21NM",
        "CHGIND",
        "LAD22CD",
        "LAD22NM",
        "LAD22NMW",
        "ObjectId",
    ]
    return _text(
        [header]
        + [
            [
                code11,
                f"{lad[1]} {code11[-3:]}",
                code21,
                f"{lad[1]} {code21[-3:]}",
                change,
                lad[0],
                lad[1],
                "",
                index,
            ]
            for index, (code11, code21, change) in enumerate(rows, start=1)
        ]
    )


def nspl_file(rows: Iterable[tuple[str, str, str, float | None, float | None, str]]) -> str:
    """An NSPL extract. rows: (postcode, lsoa21, ward, lat, long, doterm)."""
    header = [
        "pcd",
        "pcd2",
        "pcds",
        "dointr",
        "doterm",
        "usertype",
        "oseast1m",
        "osnrth1m",
        "osgrdind",
        "oa21",
        "cty",
        "ced",
        "laua",
        "ward",
        "nhser",
        "ctry",
        "rgn",
        "pcon",
        "ttwa",
        "itl",
        "npark",
        "lsoa21",
        "msoa21",
        "wz11",
        "sicbl",
        "bua22",
        "ru11ind",
        "oac11",
        "lat",
        "long",
        "lep1",
        "lep2",
        "pfa",
        "imd",
        "icb",
    ]
    lines = [header]
    for postcode, lsoa, ward, lat, long, doterm in rows:
        outward, inward = postcode.split(" ")
        lines.append(
            [
                f"{outward:<4}{inward}"[:7],
                f"{outward:<5}{inward}",
                postcode,
                "198001",
                doterm,
                "0",
                "429000",
                "515000",
                "1",
                "E00000001",
                "E99999999",
                "E99999999",
                "E06000990",
                ward,
                "E40000012",
                "E92000001",
                "E12000001",
                "E14000001",
                "E30000001",
                "E06000990",
                "E65000001",
                lsoa,
                "E02000001",
                "E33000001",
                "E38000001",
                "E63000001",
                "C1",
                "7B3",
                "99.999999" if lat is None else f"{lat:.6f}",
                "0.000000" if long is None else f"{long:.6f}",
                "E37000001",
                "",
                "E23000001",
                "1000",
                "E54000001",
            ]
        )
    return _text(lines)


def spend_file(rows: Iterable[tuple[str, str, str, str, str]], *, by_code: bool = True) -> str:
    """rows: (area code or name, service, agency, financial year, amount)."""
    header = ["area_code" if by_code else "area", "service", "agency", "financial_year", "amount"]
    return _text([header] + [list(row) for row in rows])
