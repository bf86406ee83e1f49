"""Spend returns: public money spent by area, service, agency and financial year.

Columns (any order, header names as below, case ignored): `area_code` (an ONS GSS code)
or `area` (the area's name as in Coproduce), `service`, `agency`, `financial_year`
("2024/25", "2024-25" or 2024 for the year starting April 2024) and `amount` (pounds;
"£1,234.50" is read as 1234.50).
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .files import CsvFile, ErrorList, ImportFileError

YEAR_RE = re.compile(r"^(?P<start>20\d\d)(?:\s*[/-]\s*(?P<end>\d\d|20\d\d))?$")
REQUIRED = ("service", "agency", "financial_year", "amount")
# SpendRecord.amount holds 14 digits, 2 of them pence.
MAX_AMOUNT = Decimal("999999999999.99")


@dataclass(frozen=True)
class SpendRow:
    line: int
    area_key: str
    by_code: bool
    service: str
    agency: str
    financial_year: int
    amount: Decimal


def parse_financial_year(value: str) -> int | None:
    match = YEAR_RE.match(value.strip())
    if match is None:
        return None
    start = int(match["start"])
    if match["end"]:
        end = int(match["end"]) % 100
        if end != (start + 1) % 100:
            return None
    return start


def parse_amount(value: str) -> Decimal | None:
    text = value.strip().replace("£", "").replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    # Finite first: NaN refuses comparison, and infinity has no exponent.
    if not amount.is_finite() or not 0 <= amount <= MAX_AMOUNT:
        return None
    if amount.as_tuple().exponent < -2:
        return None
    return amount.quantize(Decimal("0.01"))


def read_spend(csv_file: CsvFile) -> list[SpendRow]:
    header = csv_file.read_header()
    lowered = [column.strip().lower() for column in header]
    area_index = lowered.index("area_code") if "area_code" in lowered else None
    by_code = area_index is not None
    if area_index is None and "area" in lowered:
        area_index = lowered.index("area")
    missing = [name for name in REQUIRED if name not in lowered]
    if area_index is None:
        missing.insert(0, "area_code (or area)")
    if missing:
        raise ImportFileError(
            [{"line": 1, "column": name, "message": "Column missing."} for name in missing]
        )
    index = {name: lowered.index(name) for name in REQUIRED}
    errors = ErrorList()
    rows: list[SpendRow] = []
    seen: dict[tuple, int] = {}
    for line, row in csv_file.rows():
        area = row[area_index].strip()
        service = row[index["service"]].strip()
        agency = row[index["agency"]].strip()
        year = parse_financial_year(row[index["financial_year"]])
        amount = parse_amount(row[index["amount"]])
        problems = False
        for name, value, limit in (("service", service, 150), ("agency", agency, 200)):
            if not value or len(value) > limit:
                errors.add(
                    line, header[index[name]], f"Enter the {name} (at most {limit} characters)."
                )
                problems = True
        if not area:
            errors.add(line, header[area_index], "Enter the area.")
            problems = True
        if year is None:
            errors.add(
                line,
                header[index["financial_year"]],
                f"{row[index['financial_year']]!r} is not a financial year such as 2024/25.",
            )
            problems = True
        if amount is None:
            errors.add(
                line,
                header[index["amount"]],
                f"{row[index['amount']]!r} is not an amount in pounds from 0 to {MAX_AMOUNT:,}.",
            )
            problems = True
        if problems:
            continue
        key = (area.lower(), service.lower(), agency.lower(), year)
        if key in seen:
            errors.add(line, header[index["service"]], f"Repeats line {seen[key]}.")
            continue
        seen[key] = line
        rows.append(SpendRow(line, area, by_code, service, agency, year, amount))
    errors.raise_if_any()
    return rows
