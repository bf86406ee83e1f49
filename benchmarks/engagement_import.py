"""Importing 100,000 participation rows (attendance and evaluation sheets).

Every row is a distinct participation: each person (by the sheet's reference) came to two
different events, so 100,000 rows record 100,000 attendances of 50,000 people, with the
equality answers of two rows in three. Prints the wall-clock time of one import through
participation_import (the service behind the management command and the browser upload),
rows per second, and the time of a plain bulk insert of the same attendance rows as the
floor it is compared with.
"""

import io
import time
from datetime import timedelta

from benchmarks.harness import Figure, benchmark_database

ROWS = {"small": 5_000, "county": 100_000, "national": 300_000}
EVENTS = 200
HEADER = (
    "reference,event,date,postcode,ward_code,year_of_birth,sex,gender_identity,"
    "sexual_orientation,ethnic_group,disability,religion,consent\n"
)


def _file(rows: int, events: list) -> str:
    out = io.StringIO()
    out.write(HEADER)
    ethnic = ["English, Welsh, Scottish, Northern Irish or British", "Indian", "African", ""]
    for n in range(rows):
        # Person p is on rows 2p and 2p + 1: two sheets, from two different events.
        event = events[n % len(events)]
        person = n // 2
        answers = (
            f'{1940 + n % 60},{"Female" if n % 2 else "Male"},,,"{ethnic[n % 4]}",,,yes'
            if n % 3
            else ",,,,,,,"
        )
        out.write(
            f"P{person:07d},{event.title},{event.starts_at:%Y-%m-%d},,{event.area.gss_code},"
            f"{answers}\n"
        )
    return out.getvalue()


def run(options) -> list:
    from django.db import connection
    from django.utils import timezone

    from engagement.imports import participation_import
    from engagement.models import Attendance, Event, Participant, ParticipationRecord
    from tests.communities.factories import WardFactory

    rows = ROWS[options.scale]
    with benchmark_database():
        wards = [WardFactory(name=f"Bench ward {n}") for n in range(10)]
        start = timezone.now() - timedelta(days=400)
        events = [
            Event.objects.create(
                title=f"Forum {n}",
                kind=Event.Kind.FORUM,
                starts_at=start + timedelta(days=n),
                ends_at=start + timedelta(days=n, hours=2),
                place="Hall",
                area=wards[n % len(wards)],
            )
            for n in range(EVENTS)
        ]
        text = _file(rows, events)
        started = time.perf_counter()
        result = participation_import(text=text)
        import_seconds = time.perf_counter() - started
        # Correctness, not speed: every row is an attendance of its own.
        assert result.rows == rows
        assert result.attendances_recorded == rows, result.attendances_recorded
        assert result.participants_created == rows // 2, result.participants_created

        # The floor: the same attendance rows, bulk-inserted with nothing else.
        people = Participant.objects.bulk_create(
            [Participant(reference=f"F{n:07d}") for n in range(rows // 2)], batch_size=2000
        )
        started = time.perf_counter()
        Attendance.objects.bulk_create(
            [
                Attendance(event=events[n % EVENTS], participant=people[n // 2])
                for n in range(rows)
            ],
            batch_size=2000,
        )
        floor_seconds = time.perf_counter() - started
        ledger_rows = ParticipationRecord.objects.filter(kind="attendance").count()
        vendor = connection.vendor
    return [
        Figure(
            f"import {rows:,} rows ({vendor})",
            import_seconds,
            "s",
            baseline=floor_seconds,
            goal="minutes at most; compared with a bare bulk insert of the rows",
        ),
        Figure("rows per second", rows / import_seconds, "rows/s"),
        Figure("people created", result.participants_created, "people"),
        Figure("attendances recorded", result.attendances_recorded, "rows"),
        Figure("participation ledger rows", ledger_rows, "rows"),
        Figure("equality responses stored", result.equality_responses, "rows"),
        Figure("bare bulk insert of the same attendances", floor_seconds, "s"),
    ]
