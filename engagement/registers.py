"""Registers: who came, and the hours they gave, as an officer ticks them on a list.

An event's register and a volunteer activity's roster are the same form: a tick and an
hours box per person. This reads what was submitted, and keeps it as typed so that a
register refused for one bad box is shown again with every other mark still in place.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MOST_HOURS = Decimal(24)


@dataclass
class RegisterRow:
    """One person on the register, as shown: ticked or not, the hours box's text, and
    what is wrong with it."""

    entry: object
    ticked: bool
    hours: str
    error: str = ""

    @property
    def anchor(self) -> str:
        return f"hours-{self.entry.pk}"


@dataclass
class Register:
    rows: list[RegisterRow]
    # entry id -> (ticked, hours, or None for a blank box)
    marks: dict[int, tuple[bool, Decimal | None]]

    @property
    def errors(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the page's error summary."""
        return [(row.anchor, row.error) for row in self.rows if row.error]


def register_saved(entries: Iterable, *, ticked_status: str) -> list[RegisterRow]:
    """The register as it was last saved."""
    return [
        RegisterRow(
            entry=entry,
            ticked=entry.status == ticked_status,
            hours="" if entry.hours is None else str(entry.hours),
        )
        for entry in entries
    ]


def register_read(data: Mapping, entries: Iterable, *, tick: str) -> Register:
    """The register as submitted: `<tick>-<id>` is "on" for a ticked person and
    `hours-<id>` holds their hours (blank, or a number from 0 to 24)."""
    rows, marks = [], {}
    for entry in entries:
        row = RegisterRow(
            entry=entry,
            ticked=data.get(f"{tick}-{entry.pk}") == "on",
            hours=data.get(f"hours-{entry.pk}", "").strip(),
        )
        hours = _hours(row.hours)
        if row.hours and hours is None:
            row.error = (
                f"Hours given by {entry.participant} must be a number from 0 to 24, like 2.5"
            )
        rows.append(row)
        marks[entry.pk] = (row.ticked, hours)
    return Register(rows=rows, marks=marks)


def _hours(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        hours = Decimal(text)
        # Ordering a NaN raises InvalidOperation too; infinities fall outside the range.
        return hours if 0 <= hours <= MOST_HOURS else None
    except (InvalidOperation, ValueError):
        return None
