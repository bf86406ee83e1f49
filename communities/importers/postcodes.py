"""Postcode directory extracts: the ONS Postcode Directory (ONSPD) and the National
Statistics Postcode Lookup (NSPL).

Column names have changed over the years; the reader takes the first it finds of:
postcode `pcds, pcd, pcd2, pcd7, pcd8, postcode`; LSOA `lsoa21cd, lsoa21, lsoa11cd,
lsoa11`; ward `osward, ward, wdNNcd`; `lat`, `long`; `doterm` (date terminated).
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from communities.postcodes import postcode_normalise

from .files import CsvFile, ErrorList, ImportFileError

POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "pcd7", "pcd8", "postcode")
LSOA_COLUMNS = ("lsoa21cd", "lsoa21", "lsoa11cd", "lsoa11")
WARD_COLUMNS = ("osward", "ward")
WARD_RE = re.compile(r"^wd\d\dcd$")
# ONSPD's placeholder for a postcode with no grid reference.
NO_LATITUDE = Decimal("99.999999")


@dataclass(frozen=True)
class PostcodeRow:
    line: int
    postcode: str
    lsoa_code: str
    ward_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    terminated: bool


def _first(lowered: list[str], names) -> int | None:
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _coordinate(value: str, low: int, high: int) -> Decimal | bool | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return False
    if not number.is_finite() or not low <= number <= high:
        return False
    return number.quantize(Decimal("0.000001"))


def read_postcodes(csv_file: CsvFile, *, lsoas: set[str], wards: set[str]):
    """Yield the rows whose LSOA or ward is one of the council's, checking every row.

    A generator, so that a 2.7-million-row directory is never held in memory; raises
    ImportFileError at the end if any row was malformed (the caller's transaction then
    writes nothing).
    """
    header = csv_file.read_header()
    lowered = [column.lower() for column in header]
    postcode_index = _first(lowered, POSTCODE_COLUMNS)
    lsoa_index = _first(lowered, LSOA_COLUMNS)
    ward_index = _first(lowered, WARD_COLUMNS)
    if ward_index is None:
        ward_index = next((i for i, c in enumerate(lowered) if WARD_RE.match(c)), None)
    latitude_index = _first(lowered, ("lat",))
    longitude_index = _first(lowered, ("long",))
    terminated_index = _first(lowered, ("doterm",))
    if postcode_index is None or (lsoa_index is None and ward_index is None):
        raise ImportFileError(
            [
                {
                    "line": 1,
                    "column": "",
                    "message": "Not a postcode directory: expected a pcds (postcode) column "
                    "and an lsoa21 or lsoa11 (or ward) column, as ONSPD and NSPL have.",
                }
            ]
        )
    errors = ErrorList()
    for line, row in csv_file.rows():
        lsoa = row[lsoa_index].strip() if lsoa_index is not None else ""
        ward = row[ward_index].strip() if ward_index is not None else ""
        if lsoa not in lsoas and ward not in wards:
            continue
        postcode = postcode_normalise(row[postcode_index])
        if postcode is None:
            errors.add(line, header[postcode_index], f"{row[postcode_index]!r} is not a postcode.")
            continue
        latitude = longitude = None
        if latitude_index is not None and longitude_index is not None:
            latitude = _coordinate(row[latitude_index], -90, 100)
            longitude = _coordinate(row[longitude_index], -180, 180)
            if latitude is False:
                errors.add(
                    line, header[latitude_index], f"{row[latitude_index]!r} is not a latitude."
                )
                continue
            if longitude is False:
                errors.add(
                    line, header[longitude_index], f"{row[longitude_index]!r} is not a longitude."
                )
                continue
            if latitude is not None and latitude >= NO_LATITUDE:
                latitude = longitude = None
        terminated = bool(row[terminated_index].strip()) if terminated_index is not None else False
        yield PostcodeRow(line, postcode, lsoa, ward, latitude, longitude, terminated)
    errors.raise_if_any()
