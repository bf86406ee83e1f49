"""Census 2021 topic summary tables as Nomis publishes them.

Two layouts are read:

- the bulk download (wide): `date, geography, geography code`, then one column per
  category named "<Variable>: <Category>", nested categories as "<Variable>: <Parent>:
  <Category>", the table's total as "<Variable>: Total: ..." (or "Sex: All persons"), any
  of them possibly suffixed "; measures: Value";
- the API download (long): one row per area and category, `GEOGRAPHY_CODE`,
  `<DIMENSION>_NAME`, `OBS_VALUE`, possibly with `MEASURES_NAME` (counts are "Value").

Totals are recognised and kept as the table's own total; subtotals that the census
classification has no code for (TS007's "Aged 16 to 19 years") are recognised and left
out, so that no person is counted twice.
"""

import re
from dataclasses import dataclass, field

from communities import census

from .files import CsvFile, ErrorList, ImportFileError, parse_count

GSS_RE = re.compile(r"^[EWSNK]\d{8}$")
MEASURES_SUFFIX_RE = re.compile(r";\s*measures:\s*(?P<measure>[^;]+)$", re.IGNORECASE)
TOTAL = "__total__"
SUBTOTAL = "__subtotal__"


@dataclass
class CensusRecord:
    geography: str
    line: int
    total: int | None = None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class CensusFile:
    table: str
    dimension: str
    records: dict[str, CensusRecord]
    rows_read: int = 0
    subtotals_left_out: int = 0
    derived_parents: list[str] = field(default_factory=list)


def _classify(table: str, path: list[str]) -> str | None:
    if census.is_total_label(path[0]):
        return TOTAL
    code = census.category_for_path(table, path)
    if code is not None:
        return code
    if census.is_age_subtotal(table, path):
        return SUBTOTAL
    return None


def _split_column(column: str) -> tuple[str, list[str], str]:
    """("Ethnic group", ["Asian...", "Bangladeshi"], "value") from a wide column name."""
    measure = "value"
    match = MEASURES_SUFFIX_RE.search(column)
    if match:
        measure = match["measure"].strip().lower()
        column = column[: match.start()]
    parts = [part.strip() for part in column.split(": ")]
    return parts[0], parts[1:], measure


def _table_for(dimension_code: str, labels: list[str], requested: str | None) -> str:
    if dimension_code == "age":
        detected = census.detect_age_table(labels)
        return requested or detected
    tables = [t for t, info in census.TABLES.items() if info["dimension"] == dimension_code]
    return tables[0]


def read_census(
    csv_file: CsvFile, *, table: str | None = None, keep: set[str] | None = None
) -> CensusFile:
    """Read and check a whole census file; `keep` limits the records kept to these GSS
    codes (the council's own areas), though every row is checked."""
    header = csv_file.read_header()
    lowered = [column.lower() for column in header]
    if "geography code" in lowered:
        return _read_wide(csv_file, header, lowered, table, keep)
    if "geography_code" in lowered and "obs_value" in lowered:
        return _read_long(csv_file, header, lowered, table, keep)
    raise ImportFileError(
        [
            {
                "line": 1,
                "column": "",
                "message": "This is not a Nomis census file: it needs a 'geography code' "
                "column (bulk download) or GEOGRAPHY_CODE and OBS_VALUE columns (API).",
            }
        ]
    )


def _check_table(requested: str | None, detected_dimension: str, errors: ErrorList) -> None:
    if requested is None:
        return
    if requested not in census.TABLES:
        errors.add(1, "", f"{requested} is not a table Coproduce imports.")
    elif census.TABLES[requested]["dimension"] != detected_dimension:
        errors.add(
            1,
            "",
            f"The file holds {detected_dimension.replace('_', ' ')}, not table {requested}.",
        )


def _read_wide(csv_file, header, lowered, requested, keep) -> CensusFile:
    errors = ErrorList()
    geography_index = lowered.index("geography code")
    meta = {"date", "geography", "geography code"}
    columns: list[tuple[int, str, list[str]]] = []
    variables = set()
    for index, column in enumerate(header):
        if lowered[index] in meta or not column:
            continue
        variable, path, measure = _split_column(column)
        if measure != "value":
            continue  # percentages repeat the counts
        if not path:
            errors.add(1, column, "Expected '<Variable>: <Category>' as Nomis names columns.")
            continue
        variables.add(variable.lower())
        columns.append((index, column, path))
    if len(variables) != 1:
        errors.add(1, "", "The columns must all belong to one census variable.")
        errors.raise_if_any()
    variable = variables.pop()
    dimension_code = census.VARIABLE_DIMENSIONS.get(variable)
    if dimension_code is None:
        errors.add(
            1, header[columns[0][0]], f"'{variable}' is not a census table Coproduce imports."
        )
        errors.raise_if_any()
    _check_table(requested, dimension_code, errors)
    errors.raise_if_any()
    table = _table_for(dimension_code, [": ".join(path) for _, _, path in columns], requested)

    codes: dict[int, str] = {}
    seen: dict[str, str] = {}
    subtotals = 0
    for index, column, path in columns:
        code = _classify(table, path)
        if code is None:
            errors.add(1, column, f"Not a category of {table} in the Census 2021 classification.")
            continue
        if code == SUBTOTAL:
            subtotals += 1
            continue
        if code in seen:
            errors.add(1, column, f"Repeats the column {seen[code]!r}.")
            continue
        seen[code] = column
        codes[index] = code
    if TOTAL not in seen:
        errors.add(
            1, "", f"The table's total column is missing (e.g. '{variable.capitalize()}: Total')."
        )
    missing = [c.label for c in census.table_leaves(table) if c.code not in seen]
    if missing:
        errors.add(
            1,
            "",
            f"Columns missing for: {', '.join(missing[:10])}"
            + ("..." if len(missing) > 10 else "."),
        )
    errors.raise_if_any()

    records: dict[str, CensusRecord] = {}
    rows = 0
    for line, row in csv_file.rows():
        rows += 1
        geography = row[geography_index].strip()
        if not GSS_RE.match(geography):
            errors.add(line, header[geography_index], f"{geography!r} is not an ONS GSS code.")
            continue
        record = CensusRecord(geography=geography, line=line)
        for index, code in codes.items():
            value = parse_count(row[index])
            if value is None:
                errors.add(line, header[index], f"{row[index]!r} is not a count.")
                continue
            if code == TOTAL:
                record.total = value
            else:
                record.counts[code] = value
        if geography in records:
            errors.add(line, header[geography_index], f"{geography} appears twice.")
            continue
        if keep is None or geography in keep:
            records[geography] = record
    errors.raise_if_any()
    result = CensusFile(table, dimension_code, records, rows, subtotals)
    _derive_parents(result)
    return result


def _read_long(csv_file, header, lowered, requested, keep) -> CensusFile:
    errors = ErrorList()
    geography_index = lowered.index("geography_code")
    value_index = lowered.index("obs_value")
    measures_index = lowered.index("measures_name") if "measures_name" in lowered else None
    dimension_index = None
    table = None
    for index, column in enumerate(header):
        if column.lower().endswith("_name") and column.lower() not in (
            "date_name",
            "geography_name",
            "measures_name",
            "obs_status_name",
            "obs_conf_name",
        ):
            found = census.table_for_nomis_dimension(column)
            if found is not None:
                dimension_index, table = index, found
                break
    if dimension_index is None:
        errors.add(
            1,
            "",
            "No census dimension column found: expected one such as C2021_ETH_20_NAME.",
        )
        errors.raise_if_any()
    dimension_code = census.TABLES[table]["dimension"]
    _check_table(requested, dimension_code, errors)
    errors.raise_if_any()
    if requested:
        table = requested
    column = header[dimension_index]

    records: dict[str, CensusRecord] = {}
    seen: dict[tuple[str, str], int] = {}
    subtotals: set[str] = set()
    rows = 0
    for line, row in csv_file.rows():
        if measures_index is not None and row[measures_index].strip().lower() not in ("value", ""):
            continue
        rows += 1
        geography = row[geography_index].strip()
        if not GSS_RE.match(geography):
            errors.add(line, header[geography_index], f"{geography!r} is not an ONS GSS code.")
            continue
        name = row[dimension_index].strip()
        code = _classify(table, [part.strip() for part in name.split(": ")])
        if code is None:
            errors.add(line, column, f"{name!r} is not a category of {table}.")
            continue
        value = parse_count(row[value_index])
        if value is None:
            errors.add(line, header[value_index], f"{row[value_index]!r} is not a count.")
            continue
        if code == SUBTOTAL:
            subtotals.add(name)
            continue
        if (geography, code) in seen:
            errors.add(
                line, column, f"{name!r} for {geography} repeats line {seen[(geography, code)]}."
            )
            continue
        seen[(geography, code)] = line
        if keep is not None and geography not in keep:
            continue
        record = records.setdefault(geography, CensusRecord(geography=geography, line=line))
        if code == TOTAL:
            record.total = value
        else:
            record.counts[code] = value
    leaves = census.table_leaves(table)
    for record in records.values():
        if record.total is None:
            errors.add(record.line, column, f"No total for {record.geography}.")
        missing = [c.label for c in leaves if c.code not in record.counts]
        if missing:
            errors.add(
                record.line,
                column,
                f"{record.geography} lacks: {', '.join(missing[:10])}"
                + ("..." if len(missing) > 10 else "."),
            )
    errors.raise_if_any()
    result = CensusFile(table, dimension_code, records, rows, len(subtotals))
    _derive_parents(result)
    return result


def _derive_parents(result: CensusFile) -> None:
    """A parent category the file left out (an API extract of the detailed groups only) is
    the sum of its children: added so that both levels are always there."""
    categories = census.table_categories(result.table)
    children: dict[str, list[str]] = {}
    for category in categories:
        if category.parent:
            children.setdefault(category.parent, []).append(category.code)
    for record in result.records.values():
        for parent, codes in children.items():
            if parent not in record.counts:
                record.counts[parent] = sum(record.counts.get(code, 0) for code in codes)
                if parent not in result.derived_parents:
                    result.derived_parents.append(parent)
