"""Paper and spreadsheet intake: attendance and evaluation sheets as CSV.

One service, `participation_import`, behind both `manage.py import_participation FILE`
and the browser upload (a background job). The whole file is checked first; any error
on any line means nothing is written, and every error is reported with its line and
column. A clean file is written in one transaction with bulk inserts, so 100,000 rows
take seconds, not hours.
"""

import csv
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from communities import census
from communities.importers.files import repeated_columns
from communities.models import Area, Postcode
from communities.postcodes import postcode_normalise
from coproduction.accounts.selectors import area_list_for_user
from governance.audit import audit_record

from .models import (
    Attendance,
    Channel,
    EqualityResponse,
    Event,
    Participant,
    ParticipationImport,
    ParticipationRecord,
)

COLUMNS = [
    "reference",
    "event",
    "date",
    "postcode",
    "ward_code",
    "year_of_birth",
    "sex",
    "gender_identity",
    "sexual_orientation",
    "ethnic_group",
    "disability",
    "religion",
    "consent",
]
EQUALITY_COLUMNS = [
    "sex",
    "gender_identity",
    "sexual_orientation",
    "ethnic_group",
    "disability",
    "religion",
]
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
MAX_ERRORS = 1000
BATCH = 2000


class ImportRefusedError(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(f"The file has {len(errors)} error{'s' if len(errors) != 1 else ''}")
        self.errors = errors


def _answer_lookup() -> dict[str, dict[str, str]]:
    """For each equality column, census label (and code) in lower case -> code."""
    lookup = {}
    for name in EQUALITY_COLUMNS:
        dimension = census.dimension(name)
        answers = {}
        for code, label in dimension.answer_choices():
            answers[label.strip().lower()] = code
            answers[code] = code
        lookup[name] = answers
    return lookup


def _parse_date(value: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


@dataclass
class _Row:
    line: int
    reference: str
    event: Event
    postcode: str
    ward_id: int | None
    lsoa_id: int | None
    year_of_birth: int | None
    answers: dict[str, str]
    consent: bool

    @property
    def has_equality(self) -> bool:
        return self.year_of_birth is not None or any(self.answers.values())


@dataclass
class ImportResult:
    rows: int = 0
    participants_created: int = 0
    participants_matched: int = 0
    attendances_recorded: int = 0
    equality_responses: int = 0
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "rows read": self.rows,
            "people added": self.participants_created,
            "people matched": self.participants_matched,
            "attendances recorded": self.attendances_recorded,
            "equality responses stored": self.equality_responses,
        }


def _read(text: str) -> tuple[list[dict], list[dict]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    repeated = repeated_columns(header)
    if repeated:
        raise ImportRefusedError(repeated)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRefusedError(
            [
                {
                    "line": 1,
                    "column": ", ".join(missing),
                    "message": "The first line must name the columns: " + ", ".join(COLUMNS),
                }
            ]
        )
    reader.fieldnames = header
    rows = []
    errors = []
    try:
        for record in reader:
            if None in record:
                errors.append(
                    {"line": reader.line_num, "column": "", "message": "More cells than columns"}
                )
                continue
            if not any((v or "").strip() for v in record.values()):
                continue
            # PostgreSQL neither stores a NUL nor takes one in a query.
            if any("\x00" in (v or "") for v in record.values()):
                errors.append(
                    {
                        "line": reader.line_num,
                        "column": "",
                        "message": "The line holds a NUL character: save the file as CSV "
                        "UTF-8 and try again",
                    }
                )
                continue
            rows.append(
                {"line": reader.line_num, **{k: (v or "").strip() for k, v in record.items()}}
            )
    except csv.Error as exc:
        errors.append({"line": reader.line_num, "column": "", "message": f"Not a CSV file: {exc}"})
    return rows, errors


def participation_import(
    *,
    text: str,
    actor=None,
    progress: Callable[..., None] | None = None,
    file_name: str = "",
) -> ImportResult:
    """Import attendance/evaluation sheets (see the module docstring); raises
    ImportRefusedError with every error when any line is wrong, or when the same file was
    imported before."""
    progress = progress or (lambda *args, **kwargs: None)
    fingerprint = _fingerprint(text)
    _refuse_a_file_already_imported(fingerprint)
    raw, errors = _read(text)
    total = len(raw)
    progress(0, total, "checking the file")
    events = Event.objects.all()
    areas = None
    if actor is not None:
        areas = area_list_for_user(user=actor)
        events = events.filter(area__in=areas)

    titles = {r["event"].lower() for r in raw if r["event"]}
    by_key: dict[tuple[str, date], list[Event]] = {}
    for event in events.annotate(title_lower=Lower("title")).filter(title_lower__in=titles):
        key = (event.title_lower, timezone.localtime(event.starts_at).date())
        by_key.setdefault(key, []).append(event)

    wards = {
        a.gss_code: a
        for a in Area.objects.filter(
            kind=Area.Kind.WARD, gss_code__in={r["ward_code"] for r in raw if r["ward_code"]}
        )
    }
    postcodes = {}
    wanted = {postcode_normalise(r["postcode"]) for r in raw if r["postcode"]} - {None}
    wanted_list = list(wanted)
    for start in range(0, len(wanted_list), BATCH):
        for pc in Postcode.objects.select_related("lsoa").filter(
            postcode__in=wanted_list[start : start + BATCH]
        ):
            ward_id = pc.ward_id or (pc.lsoa.parent_id if pc.lsoa else None)
            postcodes[pc.postcode] = (ward_id, pc.lsoa_id)
    answers = _answer_lookup()
    today = timezone.localdate()
    this_year = today.year

    rows: list[_Row] = []
    for record in raw:
        line = record["line"]

        def error(column: str, message: str, line=line) -> None:
            errors.append({"line": line, "column": column, "message": message})

        reference = record["reference"]
        if len(reference) > 60:
            error("reference", "A reference has at most 60 characters")
        when = _parse_date(record["date"]) if record["date"] else None
        if when is None:
            error("date", "Enter the date as YYYY-MM-DD or DD/MM/YYYY")
        elif when > today:
            error("date", f"{when:%d/%m/%Y} is in the future: import who came on the day or after")
            when = None
        event = None
        if not record["event"]:
            error("event", "Enter the event's title")
        elif when is not None:
            matches = by_key.get((record["event"].lower(), when), [])
            if not matches:
                error(
                    "event",
                    f"No event called “{record['event']}” on {when:%d/%m/%Y}"
                    + (" in your areas" if actor is not None else ""),
                )
            elif len(matches) > 1:
                error("event", "More than one event has this title on this date")
            else:
                event = matches[0]
        postcode, ward_id, lsoa_id = "", None, None
        if record["postcode"]:
            postcode = postcode_normalise(record["postcode"]) or ""
            if not postcode:
                error("postcode", "Enter a full UK postcode, like DL1 5QT")
            else:
                ward_id, lsoa_id = postcodes.get(postcode, (None, None))
        if record["ward_code"]:
            ward = wards.get(record["ward_code"])
            if ward is None:
                error("ward_code", f"No ward has the code {record['ward_code']}")
            else:
                ward_id = ward.pk
        year = None
        if record["year_of_birth"]:
            try:
                year = int(record["year_of_birth"])
            except ValueError:
                year = -1
            if not 1900 <= year <= this_year:
                error(
                    "year_of_birth",
                    f"Enter a year between 1900 and {this_year}, or leave it blank",
                )
        given = {}
        for name in EQUALITY_COLUMNS:
            value = record[name]
            if not value:
                given[name] = ""
                continue
            code = answers[name].get(value.lower())
            if code is None:
                error(
                    name,
                    f"“{value}” is not a census category for "
                    f"{census.dimension(name).label.lower()}",
                )
            given[name] = code or ""
        consent_text = record["consent"].lower()
        if consent_text not in YES | NO:
            error("consent", "Enter yes or no")
        consent = consent_text in YES
        row = _Row(line, reference, event, postcode, ward_id, lsoa_id, year, given, consent)
        if row.has_equality and not consent and consent_text in NO:
            error("consent", "Equality answers can only be kept with the person's consent (yes)")
        if len(errors) >= MAX_ERRORS:
            break
        rows.append(row)
    if errors:
        raise ImportRefusedError(
            sorted(errors, key=lambda e: (e["line"], e["column"]))[:MAX_ERRORS]
        )

    with transaction.atomic():
        try:
            with transaction.atomic():
                ParticipationImport.objects.create(
                    fingerprint=fingerprint,
                    file_name=file_name[:255],
                    rows=total,
                    imported_by=actor,
                )
        except IntegrityError:  # the same file, imported at the same moment
            _refuse_a_file_already_imported(fingerprint)
            raise
        result = _write(rows, progress=progress, total=total)
        audit_record(
            actor=actor,
            action="engagement.participation.import",
            object_type="engagement.attendance",
            fields=["participant", "event", "status", *EQUALITY_COLUMNS, "year_of_birth"],
        )
    return result


def _fingerprint(text: str) -> str:
    """The file's text as a spreadsheet would save it again: the same rows with other line
    endings or a byte-order mark are the same file."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(lines.strip().encode()).hexdigest()


def _refuse_a_file_already_imported(fingerprint: str) -> None:
    earlier = (
        ParticipationImport.objects.select_related("imported_by")
        .filter(fingerprint=fingerprint)
        .first()
    )
    if earlier is None:
        return
    by = f" by {earlier.imported_by.full_name}" if earlier.imported_by else ""
    when = timezone.localtime(earlier.imported_at)
    raise ImportRefusedError(
        [
            {
                "line": "",
                "column": "",
                "message": f"This file was imported on {when:%-d %B %Y}{by}: importing it "
                "again would count its people twice (a row with no reference is a new "
                "person each time). Import only the rows not imported yet.",
            }
        ]
    )


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write(rows: list[_Row], *, progress, total: int) -> ImportResult:
    result = ImportResult(rows=len(rows))
    now = timezone.now()

    # People: matched by reference; a row without one is a person known by nothing else.
    references = list({r.reference for r in rows if r.reference})
    people: dict[str, Participant] = {}
    for chunk in _chunks(references):
        for p in Participant.objects.filter(reference__in=chunk):
            people[p.reference] = p
    result.participants_matched = len(people)
    new_people = []
    seen_new = set()
    for row in rows:
        if row.reference and row.reference not in people and row.reference not in seen_new:
            seen_new.add(row.reference)
            new_people.append(
                Participant(
                    reference=row.reference,
                    postcode=row.postcode,
                    home_ward_id=row.ward_id,
                    home_lsoa_id=row.lsoa_id,
                    preferred_channels=[Channel.IN_PERSON],
                )
            )
    anonymous: dict[int, Participant] = {}
    for row in rows:
        if not row.reference:
            anonymous[row.line] = Participant(
                postcode=row.postcode,
                home_ward_id=row.ward_id,
                home_lsoa_id=row.lsoa_id,
                preferred_channels=[Channel.IN_PERSON],
            )
    created = Participant.objects.bulk_create([*new_people, *anonymous.values()], batch_size=BATCH)
    result.participants_created = len(created)
    for p in new_people:
        people[p.reference] = p
    # A matched person with no ward yet gets the one the sheet gives.
    fill = []
    for row in rows:
        person = people.get(row.reference) if row.reference else None
        if person is not None and person.pk and person.home_ward_id is None and row.ward_id:
            person.home_ward_id, person.home_lsoa_id = row.ward_id, row.lsoa_id
            person.postcode = person.postcode or row.postcode
            fill.append(person)
    if fill:
        Participant.objects.bulk_update(
            fill, ["home_ward", "home_lsoa", "postcode"], batch_size=BATCH
        )
    progress(len(rows) // 3, total, "people added")

    def person_for(row: _Row) -> Participant:
        return people[row.reference] if row.reference else anonymous[row.line]

    # Attendance: once per person and event; an earlier registration becomes attended.
    pairs = {(row.event.pk, person_for(row).pk): row for row in rows}
    existing: dict[tuple[int, int], Attendance] = {}
    participant_ids = list({pid for _, pid in pairs})
    event_ids = list({eid for eid, _ in pairs})
    for chunk in _chunks(participant_ids):
        for a in Attendance.objects.filter(event_id__in=event_ids, participant_id__in=chunk):
            existing[(a.event_id, a.participant_id)] = a
    events = {e.pk: e for e in Event.objects.filter(pk__in=event_ids)}

    def hours(event: Event) -> Decimal:
        return Decimal(str(round((event.ends_at - event.starts_at).total_seconds() / 3600, 2)))

    to_create, to_update = [], []
    for key, _row in pairs.items():
        event = events[key[0]]
        attendance = existing.get(key)
        if attendance is None:
            to_create.append(
                Attendance(
                    event_id=key[0],
                    participant_id=key[1],
                    status=Attendance.Status.ATTENDED,
                    hours=hours(event),
                    channel=Channel.IN_PERSON,
                )
            )
        elif attendance.status != Attendance.Status.ATTENDED:
            attendance.status = Attendance.Status.ATTENDED
            attendance.hours = attendance.hours or hours(event)
            to_update.append(attendance)
    Attendance.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        Attendance.objects.bulk_update(to_update, ["status", "hours"], batch_size=BATCH)
    result.attendances_recorded = len(to_create) + len(to_update)
    progress(2 * len(rows) // 3, total, "attendance recorded")

    ward_of = {p.pk: p.home_ward_id for p in [*people.values(), *anonymous.values()]}
    ledger = [
        ParticipationRecord(
            participant_id=a.participant_id,
            kind=ParticipationRecord.Kind.ATTENDANCE,
            occurred_at=events[a.event_id].starts_at,
            channel=Channel.IN_PERSON,
            area_id=events[a.event_id].area_id or ward_of.get(a.participant_id),
            project_id=events[a.event_id].project_id,
            event_id=a.event_id,
            partnership_id=events[a.event_id].partnership_id,
            source=f"engagement.attendance:{a.pk}",
        )
        for a in [*to_create, *to_update]
    ]
    # In the order of the summary's queue (person, then date): batches queue their months
    # in one order across the whole file, as every bulk write does, so two imports at once
    # wait on each other instead of deadlocking.
    ledger.sort(key=lambda record: (record.participant_id, record.occurred_at))
    ParticipationRecord.objects.bulk_create(ledger, batch_size=BATCH, ignore_conflicts=True)

    # Equality answers: the last sheet for a person in the file is their current one.
    latest: dict[int, _Row] = {}
    for row in rows:
        if row.has_equality and row.consent:
            latest[person_for(row).pk] = row
    pseudonyms = {p.pk: p.pseudonym for p in [*people.values(), *anonymous.values()]}
    wanted = [pseudonyms[pid] for pid in latest]
    for chunk in _chunks(wanted):
        EqualityResponse.objects.filter(pseudonym__in=chunk, superseded_at__isnull=True).update(
            superseded_at=now
        )
    EqualityResponse.objects.bulk_create(
        [
            EqualityResponse(
                pseudonym=pseudonyms[pid],
                recorded_at=now,
                lawful_basis=EqualityResponse.LawfulBasis.EXPLICIT_CONSENT,
                source=EqualityResponse.Source.PAPER,
                year_of_birth=row.year_of_birth,
                **row.answers,
            )
            for pid, row in latest.items()
        ],
        batch_size=BATCH,
    )
    result.equality_responses = len(latest)
    progress(total, total, "done")
    return result
