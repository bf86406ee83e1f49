"""Community seats filled by an open call and, if the officer chooses, a lottery against
quotas: the Sortition Foundation's stratified selection (sortition-algorithms, with its
default "maximin" algorithm, which makes the least likely applicant as likely as it can
be to be chosen), one person per household, with the seed and the pool recorded so
anyone can run the same draw again and get the same panel.

Only what the draw needs is read and kept: for each application, a one-way household key
and the quota group it falls in for each dimension that has a quota (an age band, a sex,
a top-level ethnic group, a ward), never names or the equality answers themselves.
"""

import hashlib
import hmac
import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communities import census
from communities.postcodes import postcode_normalise
from engagement.models import EqualityResponse, Participant

from ..audit import audit_record
from ..models import (
    Board,
    BoardMembership,
    LotteryDraw,
    SeatApplication,
    SeatCall,
    SeatCategory,
    SeatQuota,
)
from .boards import board_membership_add
from .errors import GovernanceError

logger = logging.getLogger(__name__)

# A quota group for an applicant with no answer (or who preferred not to say).
NOT_KNOWN = "not_known"
ALGORITHM = "maximin"
# The draw runs in the worker (governance.jobs); the library gives up after this long. A
# pool of a few hundred applicants takes from seconds to a minute (benchmarks/governance.py).
MAX_SECONDS = 10 * 60


def algorithm_name() -> str:
    return f"sortition-algorithms {version('sortition-algorithms')} ({ALGORITHM})"


def household_key(*, address_line: str, postcode: str) -> str:
    """A one-way key for a household: equal for the same first line and postcode however
    they are typed, and no way back to the address."""
    normal = " ".join(address_line.lower().replace(",", " ").split())
    code = postcode_normalise(postcode) or postcode.strip().upper()
    message = f"{normal}|{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@transaction.atomic
def seat_call_create(
    *,
    board: Board,
    title: str,
    seats: int,
    opens_on: date,
    closes_on: date,
    created_by,
    description: str = "",
) -> SeatCall:
    if closes_on < opens_on:
        raise GovernanceError("The call cannot close before it opens.")
    community = board.categories.filter(kind=SeatCategory.Kind.COMMUNITY).first()
    if community is None:
        raise GovernanceError("This board has no community seats.")
    if not 1 <= seats <= community.seats:
        raise GovernanceError(f"The board has {community.seats} community seats in all.")
    call = SeatCall.objects.create(
        board=board,
        title=title,
        description=description,
        seats=seats,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=created_by,
    )
    audit_record(actor=created_by, action="seat_call.created", obj=call)
    return call


@transaction.atomic
def seat_application_add(
    *,
    call: SeatCall,
    participant: Participant,
    address_line: str,
    postcode: str,
    added_by,
    statement: str = "",
) -> SeatApplication:
    if call.status != SeatCall.Status.OPEN:
        raise GovernanceError("This call is no longer taking applications.")
    if call.applications.filter(participant=participant).exists():
        raise GovernanceError("This person has already applied.")
    application = SeatApplication.objects.create(
        call=call,
        participant=participant,
        household_key=household_key(address_line=address_line, postcode=postcode),
        statement=statement,
    )
    audit_record(
        actor=added_by,
        action="seat_application.added",
        obj=application,
        fields=["participant", "household_key", "statement"],
    )
    return application


def quota_categories(dimension: str) -> list[tuple[str, str]]:
    """The groups a quota may name for a dimension, as (code, label)."""
    if dimension == SeatQuota.Dimension.AGE:
        return [(band.code, band.label) for band in census.REPORT_AGE_BANDS]
    if dimension == SeatQuota.Dimension.SEX:
        return [(c.code, c.label) for c in census.SEX.top_level]
    if dimension == SeatQuota.Dimension.ETHNIC_GROUP:
        return [(c.code, c.label) for c in census.ETHNIC_GROUP.top_level]
    return []


@transaction.atomic
def seat_quota_set(
    *, call: SeatCall, dimension: str, category: str, min_seats: int, max_seats: int, set_by
) -> SeatQuota:
    if call.status not in (SeatCall.Status.OPEN, SeatCall.Status.CLOSED):
        raise GovernanceError("The panel has been drawn: quotas can no longer change.")
    if min_seats > max_seats:
        raise GovernanceError("The fewest seats cannot be more than the most seats.")
    if min_seats > call.seats:
        raise GovernanceError(f"The call fills only {call.seats} seats.")
    quota, _created = SeatQuota.objects.update_or_create(
        call=call,
        dimension=dimension,
        category=category,
        defaults={"min_seats": min_seats, "max_seats": max_seats},
    )
    audit_record(actor=set_by, action="seat_quota.set", obj=quota, fields=["min", "max"])
    return quota


def _age_group(response: EqualityResponse | None, on: date) -> str:
    if response is None or response.year_of_birth is None:
        return NOT_KNOWN
    band = census.report_age_band(on.year - response.year_of_birth)
    return band or NOT_KNOWN


def _answer_group(value: str, dim: census.Dimension) -> str:
    if not value or value == census.PREFER_NOT_TO_SAY or not dim.has(value):
        return NOT_KNOWN
    return dim.roll_up(value)


def _pool(call: SeatCall, dimensions: set[str], drawn_by) -> list[dict]:
    applications = list(
        call.applications.exclude(status=SeatApplication.Status.WITHDRAWN)
        .select_related("participant__home_ward")
        .order_by("pk")
    )
    responses: dict = {}
    equality_dimensions = dimensions - {SeatQuota.Dimension.WARD}
    if equality_dimensions and applications:
        current = EqualityResponse.objects.filter(
            pseudonym__in=[a.participant.pseudonym for a in applications],
            superseded_at__isnull=True,
        )
        responses = {r.pseudonym: r for r in current}
        # Reading equality answers is audited: ids and the fields read, never the values.
        audit_record(
            actor=drawn_by,
            action="equality.read",
            object_type="engagement.equalityresponse",
            object_ids=[r.pk for r in responses.values()],
            fields=sorted({"year_of_birth" if d == "age" else d for d in equality_dimensions}),
        )
    today = timezone.localdate()
    pool = []
    for application in applications:
        response = responses.get(application.participant.pseudonym)
        groups = {}
        for dimension in sorted(dimensions):
            if dimension == SeatQuota.Dimension.AGE:
                groups[dimension] = _age_group(response, today)
            elif dimension == SeatQuota.Dimension.SEX:
                groups[dimension] = _answer_group(response.sex if response else "", census.SEX)
            elif dimension == SeatQuota.Dimension.ETHNIC_GROUP:
                groups[dimension] = _answer_group(
                    response.ethnic_group if response else "", census.ETHNIC_GROUP
                )
            else:
                ward = application.participant.home_ward
                groups[dimension] = (ward.gss_code or str(ward.pk)) if ward else NOT_KNOWN
        pool.append(
            {
                "application": application.pk,
                "household": application.household_key,
                "groups": groups,
            }
        )
    return pool


def _quieten_library() -> None:
    """The library prints every trial to stdout; the draw keeps what matters instead."""
    from sortition_algorithms.utils import override_logging_handlers, set_log_level

    override_logging_handlers([logging.NullHandler()], [logging.NullHandler()])
    set_log_level(logging.ERROR)


@dataclass(frozen=True)
class DrawResult:
    succeeded: bool
    panel: list[int]
    quota_report: list[dict]
    problems: list[str]


def lottery_run(*, pool: list[dict], quotas: list[dict], seats: int, seed: int) -> DrawResult:
    """Draw a panel from a recorded pool: the same pool, quotas, seats and seed always
    give the same panel. Pure: reads and writes nothing in the database."""
    from sortition_algorithms import Settings, run_stratification
    from sortition_algorithms.features import read_in_features
    from sortition_algorithms.people import read_in_people

    _quieten_library()

    households = {entry["household"] for entry in pool}
    available: dict[tuple[str, str], set[str]] = {}
    for entry in pool:
        for dimension, group in entry["groups"].items():
            available.setdefault((dimension, group), set()).add(entry["household"])
    report = [
        {**quota, "available": len(available.get((quota["dimension"], quota["category"]), ()))}
        for quota in quotas
    ]
    problems = []
    if len(households) < seats:
        problems.append(
            f"Only {len(households)} households applied for {seats} seats "
            "(one person per household)."
        )
    for row in report:
        if row["available"] < row["min"]:
            problems.append(
                f"{_quota_label(row)}: at least {row['min']} needed but only "
                f"{row['available']} household{'s' if row['available'] != 1 else ''} applied."
            )
    dimensions = sorted({q["dimension"] for q in quotas})
    for dimension in dimensions:
        rows = [q for q in quotas if q["dimension"] == dimension]
        minimum = sum(q["min"] for q in rows)
        if minimum > seats:
            problems.append(
                f"{SeatQuota.Dimension(dimension).label}: the minimums add up to {minimum}, "
                f"more than the {seats} seats."
            )
        named = {q["category"] for q in rows}
        groups_seen = {e["groups"][dimension] for e in pool}
        # A group with no quota of its own may take any number of seats.
        if groups_seen <= named and sum(q["max"] for q in rows) < seats:
            problems.append(
                f"{SeatQuota.Dimension(dimension).label}: the maximums add up to fewer than "
                f"the {seats} seats."
            )
    if problems:
        return DrawResult(
            False, [], [{**r, "selected": 0, "met": False} for r in report], problems
        )

    features_body = []
    for dimension in dimensions:
        named = {q["category"]: q for q in quotas if q["dimension"] == dimension}
        groups_seen = sorted({e["groups"][dimension] for e in pool} | set(named))
        for group in groups_seen:
            quota = named.get(group, {"min": 0, "max": seats})
            features_body.append(
                {
                    "feature": dimension,
                    "value": group,
                    "min": str(quota["min"]),
                    "max": str(quota["max"]),
                }
            )
    if not features_body:
        # No quotas: a plain draw, still one per household.
        features_body.append({"feature": "all", "value": "all", "min": "0", "max": str(seats)})
        dimensions = ["all"]
    features, _msg1, _msg2 = read_in_features(
        ["feature", "value", "min", "max"], features_body, seats
    )
    lottery_settings = Settings(
        id_column="application",
        columns_to_keep=[],
        check_same_address=True,
        check_same_address_columns=["household"],
        selection_algorithm=ALGORITHM,
        random_number_seed=seed,
    )
    people_rows = [
        {
            "application": str(entry["application"]),
            "household": entry["household"],
            **{d: entry["groups"].get(d, "all") for d in dimensions},
        }
        for entry in pool
    ]
    people, _people_report = read_in_people(
        ["application", "household", *dimensions], people_rows, features, lottery_settings
    )
    succeeded, selections, run_report = run_stratification(
        features, people, seats, lottery_settings, max_seconds=MAX_SECONDS
    )
    if not succeeded or not selections:
        text = run_report.as_text().strip().splitlines()
        message = next((line for line in reversed(text) if line.strip()), "")
        return DrawResult(
            False,
            [],
            [{**r, "selected": 0, "met": False} for r in report],
            [f"No panel meets every quota with one person per household. {message}".strip()],
        )
    panel = sorted(int(key) for key in selections[0])
    chosen = [e for e in pool if e["application"] in set(panel)]
    counts = Counter((d, e["groups"][d]) for e in chosen for d in e["groups"])
    final = []
    for row in report:
        selected = counts[(row["dimension"], row["category"])]
        final.append({**row, "selected": selected, "met": row["min"] <= selected <= row["max"]})
    return DrawResult(True, panel, final, [])


def _quota_label(row: dict) -> str:
    labels = dict(quota_categories(row["dimension"]))
    group = labels.get(row["category"], row["category"])
    return f"{SeatQuota.Dimension(row['dimension']).label}: {group}"


@transaction.atomic
def lottery_draw(*, call: SeatCall, drawn_by, seed: int | None = None) -> LotteryDraw:
    """Close the call and draw a panel. The draw is recorded whether or not every quota
    could be met; when one cannot, the draw says which."""
    locked = SeatCall.objects.select_for_update().get(pk=call.pk)
    if locked.status == SeatCall.Status.APPOINTED:
        raise GovernanceError("This call's panel has already been appointed.")
    seed = seed if seed else secrets.randbelow(2**31 - 1) + 1
    quotas = [
        {"dimension": q.dimension, "category": q.category, "min": q.min_seats, "max": q.max_seats}
        for q in locked.quotas.order_by("dimension", "category")
    ]
    pool = _pool(locked, {q["dimension"] for q in quotas}, drawn_by)
    result = lottery_run(pool=pool, quotas=quotas, seats=locked.seats, seed=seed)
    draw = LotteryDraw.objects.create(
        call=locked,
        seed=seed,
        algorithm=algorithm_name(),
        pool=pool,
        quotas=quotas,
        panel=result.panel,
        quota_report=result.quota_report,
        succeeded=result.succeeded,
        problems=result.problems,
        drawn_by=drawn_by,
    )
    locked.status = SeatCall.Status.DRAWN if result.succeeded else SeatCall.Status.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    audit_record(actor=drawn_by, action="lottery.drawn", obj=draw, fields=["seed", "panel"])
    return draw


def lottery_rerun(*, draw: LotteryDraw) -> DrawResult:
    """Run a recorded draw again from what it recorded."""
    return lottery_run(pool=draw.pool, quotas=draw.quotas, seats=draw.call.seats, seed=draw.seed)


@transaction.atomic
def lottery_panel_appoint(
    *, draw: LotteryDraw, term_start: date, appointed_by, term_end: date | None = None
) -> list[BoardMembership]:
    """Give each person the draw selected a community seat."""
    call = SeatCall.objects.select_for_update().get(pk=draw.call_id)
    if call.status == SeatCall.Status.APPOINTED:
        raise GovernanceError("This panel has already been appointed.")
    if not draw.succeeded or call.draws.order_by("-drawn_at", "-pk").first() != draw:
        raise GovernanceError("Only the call's latest successful draw can be appointed.")
    applications = call.applications.select_related("participant")
    memberships = []
    for application in applications:
        selected = application.pk in set(draw.panel)
        application.status = (
            SeatApplication.Status.SELECTED if selected else SeatApplication.Status.NOT_SELECTED
        )
        application.save(update_fields=["status", "updated_at"])
        if selected:
            memberships.append(
                board_membership_add(
                    board=call.board,
                    kind=SeatCategory.Kind.COMMUNITY,
                    participant=application.participant,
                    term_start=term_start,
                    term_end=term_end,
                    route=BoardMembership.Route.LOTTERY,
                    lottery_draw=draw,
                    added_by=appointed_by,
                )
            )
    call.status = SeatCall.Status.APPOINTED
    call.save(update_fields=["status", "updated_at"])
    audit_record(actor=appointed_by, action="lottery.appointed", obj=draw)
    return memberships
