"""The English Indices of Deprivation "File 1" (IMD ranks and deciles by LSOA).

2019: `LSOA code (2011), LSOA name (2011), Local Authority District code (2019), ...,
Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived), Index of Multiple
Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)`; 2025 likewise on 2021
LSOAs. The rank and decile columns are found by their opening words, since the published
wording of their endings varies.
"""

import re
from dataclasses import dataclass

from .files import CsvFile, ErrorList, ImportFileError, parse_count

LSOA_RE = re.compile(r"^[EW]01\d{6}$")
LSOA_COLUMN_RE = re.compile(r"^lsoa code \((?P<year>2011|2021)\)$", re.IGNORECASE)
RANK_PREFIX = "index of multiple deprivation (imd) rank"
DECILE_PREFIX = "index of multiple deprivation (imd) decile"
EDITION_FOR_LSOA_YEAR = {"2011": 2019, "2021": 2025}
# How many LSOAs each edition ranks: the cut-offs for deciles derived from a rank.
LSOAS_RANKED = {2019: 32_844, 2025: 33_755}


@dataclass(frozen=True)
class DeprivationRow:
    line: int
    lsoa_code: str
    rank: int
    decile: int


@dataclass
class DeprivationFile:
    edition: int
    rows: list[DeprivationRow]
    rows_read: int


def decile_for_rank(rank: int, edition: int) -> int:
    total = LSOAS_RANKED[edition]
    return min(10, max(1, -(-rank * 10 // total)))


def read_deprivation(csv_file: CsvFile, *, keep: set[str] | None = None) -> DeprivationFile:
    header = csv_file.read_header()
    lowered = [column.lower() for column in header]
    lsoa_index = edition = rank_index = decile_index = None
    for index, column in enumerate(header):
        match = LSOA_COLUMN_RE.match(column)
        if match and lsoa_index is None:
            lsoa_index, edition = index, EDITION_FOR_LSOA_YEAR[match["year"]]
        if lowered[index].startswith(RANK_PREFIX) and rank_index is None:
            rank_index = index
        if lowered[index].startswith(DECILE_PREFIX) and decile_index is None:
            decile_index = index
    missing = [
        name
        for name, found in (
            ("LSOA code (2011) or LSOA code (2021)", lsoa_index),
            ("Index of Multiple Deprivation (IMD) Rank", rank_index),
            ("Index of Multiple Deprivation (IMD) Decile", decile_index),
        )
        if found is None
    ]
    if missing:
        raise ImportFileError(
            [
                {
                    "line": 1,
                    "column": name,
                    "message": "Column missing: this must be the Indices of Deprivation "
                    "'File 1' saved as CSV.",
                }
                for name in missing
            ]
        )
    errors = ErrorList()
    rows: list[DeprivationRow] = []
    seen: dict[str, int] = {}
    read = 0
    total = LSOAS_RANKED[edition]
    for line, row in csv_file.rows():
        read += 1
        code = row[lsoa_index].strip()
        if not LSOA_RE.match(code):
            errors.add(line, header[lsoa_index], f"{code!r} is not an LSOA code.")
            continue
        rank = parse_count(row[rank_index])
        if rank is None or not 1 <= rank <= total:
            errors.add(
                line, header[rank_index], f"{row[rank_index]!r} is not a rank from 1 to {total:,}."
            )
            continue
        decile = parse_count(row[decile_index])
        if decile is None or not 1 <= decile <= 10:
            errors.add(
                line, header[decile_index], f"{row[decile_index]!r} is not a decile from 1 to 10."
            )
            continue
        if code in seen:
            errors.add(line, header[lsoa_index], f"{code} repeats line {seen[code]}.")
            continue
        seen[code] = line
        if keep is None or code in keep:
            rows.append(DeprivationRow(line, code, rank, decile))
    errors.raise_if_any()
    return DeprivationFile(edition=edition, rows=rows, rows_read=read)
