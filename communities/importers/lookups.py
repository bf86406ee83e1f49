"""ONS geography lookups: LSOA to electoral ward (to local authority), and the LSOA 2011 to
LSOA 2021 best fit.

Columns carry the year of the geography in their names: `LSOA11CD, LSOA11NM, WD19CD,
WD19NM, LAD19CD, LAD19NM` or `LSOA21CD, LSOA21NM, WD22CD, WD22NM, LAD22CD, LAD22NM`; the
best fit is `LSOA11CD, LSOA11NM, LSOA21CD, LSOA21NM, CHGIND, LAD22CD, ...`.
"""

import re
from dataclasses import dataclass

from .files import CsvFile, ErrorList, ImportFileError

CODE_PATTERNS = {
    "lsoa": re.compile(r"^[EW]01\d{6}$"),
    "ward": re.compile(r"^[EW]05\d{6}$"),
    "lad": re.compile(r"^(E0[6-9]|W06)\d{6}$"),
}
CHANGE_CODES = {"U", "S", "M", "X"}
# As many characters as Area.name and LsoaBestFit.lsoa11_name hold.
NAME_MAX = 200


def _find(header: list[str], pattern: str) -> int | None:
    regex = re.compile(pattern, re.IGNORECASE)
    for index, column in enumerate(header):
        if regex.match(column.strip()):
            return index
    return None


@dataclass(frozen=True)
class WardLookupRow:
    line: int
    lsoa_code: str
    lsoa_name: str
    ward_code: str
    ward_name: str
    lad_code: str
    lad_name: str


@dataclass(frozen=True)
class BestFitRow:
    line: int
    lsoa11_code: str
    lsoa11_name: str
    lsoa21_code: str
    change: str


@dataclass
class LookupFile:
    kind: str  # "ward" or "best_fit"
    rows: list
    rows_read: int


def read_lookup(csv_file: CsvFile) -> LookupFile:
    header = csv_file.read_header()
    lsoa11 = _find(header, r"^LSOA11CD$")
    lsoa21 = _find(header, r"^LSOA21CD$")
    ward = _find(header, r"^WD\d\dCD$")
    if lsoa11 is not None and lsoa21 is not None and ward is None:
        return _read_best_fit(csv_file, header, lsoa11, lsoa21)
    lsoa = lsoa21 if lsoa21 is not None else lsoa11
    lad = _find(header, r"^LAD\d\dCD$")
    if lsoa is None or ward is None or lad is None:
        raise ImportFileError(
            [
                {
                    "line": 1,
                    "column": "",
                    "message": "Not an ONS lookup this service reads: expected LSOA11CD or "
                    "LSOA21CD with WDyyCD and LADyyCD (LSOA to ward), or LSOA11CD with "
                    "LSOA21CD (the 2011 to 2021 best fit).",
                }
            ]
        )
    names = {
        "lsoa": _find(header, r"^LSOA\d\dNM$"),
        "ward": _find(header, r"^WD\d\dNM$"),
        "lad": _find(header, r"^LAD\d\dNM$"),
    }
    for key, index in names.items():
        if index is None:
            raise ImportFileError(
                [{"line": 1, "column": f"{key.upper()}yyNM", "message": "Name column missing."}]
            )
    errors = ErrorList()
    rows: list[WardLookupRow] = []
    seen: dict[str, int] = {}
    read = 0
    for line, row in csv_file.rows():
        read += 1
        values = {
            "lsoa": row[lsoa].strip(),
            "ward": row[ward].strip(),
            "lad": row[lad].strip(),
        }
        bad = False
        for key, index in (("lsoa", lsoa), ("ward", ward), ("lad", lad)):
            if not CODE_PATTERNS[key].match(values[key]):
                errors.add(line, header[index], f"{values[key]!r} is not a {key.upper()} code.")
                bad = True
        for index in names.values():
            if not row[index].strip():
                errors.add(line, header[index], "A name is needed.")
                bad = True
            elif len(row[index].strip()) > NAME_MAX:
                errors.add(line, header[index], f"A name has at most {NAME_MAX} characters.")
                bad = True
        if bad:
            continue
        if values["lsoa"] in seen:
            errors.add(
                line, header[lsoa], f"{values['lsoa']} repeats line {seen[values['lsoa']]}."
            )
            continue
        seen[values["lsoa"]] = line
        rows.append(
            WardLookupRow(
                line,
                values["lsoa"],
                row[names["lsoa"]].strip(),
                values["ward"],
                row[names["ward"]].strip(),
                values["lad"],
                row[names["lad"]].strip(),
            )
        )
    errors.raise_if_any()
    return LookupFile(kind="ward", rows=rows, rows_read=read)


def _read_best_fit(csv_file, header, lsoa11, lsoa21) -> LookupFile:
    name11 = _find(header, r"^LSOA11NM$")
    change = _find(header, r"^CHGIND$")
    errors = ErrorList()
    rows: list[BestFitRow] = []
    seen: dict[str, int] = {}
    read = 0
    for line, row in csv_file.rows():
        read += 1
        code11, code21 = row[lsoa11].strip(), row[lsoa21].strip()
        indicator = row[change].strip().upper() if change is not None else ""
        if not CODE_PATTERNS["lsoa"].match(code11):
            errors.add(line, header[lsoa11], f"{code11!r} is not an LSOA code.")
            continue
        if not CODE_PATTERNS["lsoa"].match(code21):
            errors.add(line, header[lsoa21], f"{code21!r} is not an LSOA code.")
            continue
        if name11 is not None and len(row[name11].strip()) > NAME_MAX:
            errors.add(line, header[name11], f"A name has at most {NAME_MAX} characters.")
            continue
        if indicator and indicator not in CHANGE_CODES:
            errors.add(
                line, header[change], f"{indicator!r} is not a change indicator (U, S, M, X)."
            )
            continue
        if code11 in seen:
            # The exact-fit lookup repeats a 2011 LSOA that was split; the best fit does not.
            errors.add(
                line,
                header[lsoa11],
                f"{code11} repeats line {seen[code11]}: use the best-fit lookup.",
            )
            continue
        seen[code11] = line
        rows.append(
            BestFitRow(
                line,
                code11,
                row[name11].strip() if name11 is not None else "",
                code21,
                indicator,
            )
        )
    errors.raise_if_any()
    return LookupFile(kind="best_fit", rows=rows, rows_read=read)
