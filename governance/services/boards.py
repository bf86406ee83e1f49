"""Boards, their seats and who holds them."""

from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduction.accounts.roles import Role
from engagement.models import Participant, ParticipationRecord
from engagement.participation import participation_record

from ..audit import audit_record
from ..models import Board, BoardMembership, LotteryDraw, Partnership, Seat, SeatCategory
from .errors import GovernanceError, SeatsFullError

# Who may sit in each category: community members are residents (participants); elected
# members and partner managers sign in (users) with one of these roles.
SEAT_ROLES = {
    SeatCategory.Kind.ELECTED_MEMBER: {Role.ELECTED_MEMBER},
    SeatCategory.Kind.PARTNER: {Role.PARTNER_AGENCY, Role.OFFICER},
}


def _midday(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


@transaction.atomic
def board_create(
    *,
    partnership: Partnership,
    name: str,
    quorum: int,
    seats: dict[str, int],
    category_quorums: dict[str, int] | None = None,
    created_by,
) -> Board:
    """A partnership's board with its seat categories, e.g. {"community": 7, ...}."""
    if Board.objects.filter(partnership=partnership).exists():
        raise GovernanceError(f"{partnership} already has a board.")
    board = Board.objects.create(partnership=partnership, name=name, quorum=quorum)
    category_quorums = category_quorums or {}
    for kind, count in seats.items():
        board_seats_set(
            board=board,
            kind=kind,
            seats=count,
            quorum=category_quorums.get(kind, 0),
            changed_by=created_by,
        )
    _check_total_quorum(board)
    audit_record(actor=created_by, action="board.created", obj=board)
    return board


def _check_total_quorum(board: Board) -> None:
    total = sum(board.categories.values_list("seats", flat=True))
    if board.quorum > total:
        raise GovernanceError(f"The quorum ({board.quorum}) is more than the {total} seats.")


@transaction.atomic
def board_update(*, board: Board, name: str, quorum: int, changed_by) -> Board:
    board.name = name
    board.quorum = quorum
    board.save(update_fields=["name", "quorum", "updated_at"])
    _check_total_quorum(board)
    audit_record(actor=changed_by, action="board.changed", obj=board, fields=["name", "quorum"])
    return board


@transaction.atomic
def board_seats_set(
    *, board: Board, kind: str, seats: int, quorum: int, changed_by
) -> SeatCategory:
    """Set how many seats a category has. Seats are numbered 1..seats; fewer seats than
    there are current members of the category is refused."""
    if quorum > seats:
        raise GovernanceError("A category's quorum cannot be more than its seats.")
    category, _created = SeatCategory.objects.select_for_update().get_or_create(
        board=board, kind=kind, defaults={"seats": seats, "quorum": quorum}
    )
    held = BoardMembership.objects.filter(
        category=category, status=BoardMembership.Status.CURRENT
    ).count()
    if seats < held:
        raise SeatsFullError(
            f"{held} {category.get_kind_display().lower()}s hold seats now: end some of "
            f"their memberships before reducing the seats to {seats}."
        )
    category.seats = seats
    category.quorum = quorum
    category.save(update_fields=["seats", "quorum", "updated_at"])
    existing = set(category.seat_set.values_list("number", flat=True))
    Seat.objects.bulk_create(
        Seat(category=category, number=n) for n in range(1, seats + 1) if n not in existing
    )
    surplus = Seat.objects.filter(category=category, number__gt=seats)
    # Members of the surplus seats move to vacant seats within the new number first.
    for seat in surplus.filter(memberships__status=BoardMembership.Status.CURRENT):
        membership = seat.memberships.get(status=BoardMembership.Status.CURRENT)
        membership.seat = _vacant_seat(category, below=seats + 1)
        membership.save(update_fields=["seat", "updated_at"])
    surplus.delete()
    audit_record(
        actor=changed_by, action="board.seats_set", obj=category, fields=["seats", "quorum"]
    )
    return category


def _vacant_seat(category: SeatCategory, *, below: int | None = None) -> Seat | None:
    seats = Seat.objects.filter(category=category).exclude(
        memberships__status=BoardMembership.Status.CURRENT
    )
    if below is not None:
        seats = seats.filter(number__lt=below)
    return seats.order_by("number").first()


@transaction.atomic
def board_membership_add(
    *,
    board: Board,
    kind: str,
    term_start: date,
    added_by,
    participant: Participant | None = None,
    user=None,
    term_end: date | None = None,
    position: str = BoardMembership.Position.MEMBER,
    route: str = BoardMembership.Route.APPOINTED,
    lottery_draw: LotteryDraw | None = None,
) -> BoardMembership:
    """Give someone a vacant seat of a category. Refused when every seat is taken."""
    category = SeatCategory.objects.select_for_update().filter(board=board, kind=kind).first()
    if category is None:
        raise GovernanceError("This board has no seats of that kind.")
    if kind == SeatCategory.Kind.COMMUNITY:
        if participant is None or user is not None:
            raise GovernanceError("A community seat is held by a resident.")
    else:
        if user is None or participant is not None:
            raise GovernanceError(
                f"A {category.get_kind_display().lower()} seat needs an account."
            )
        if not SEAT_ROLES[kind].intersection(user.roles):
            raise GovernanceError(
                f"{user} cannot hold a {category.get_kind_display().lower()} seat."
            )
    if term_end is not None and term_end < term_start:
        raise GovernanceError("The term cannot end before it starts.")
    seat = _vacant_seat(category)
    if seat is None:
        raise SeatsFullError(
            f"All {category.seats} {category.get_kind_display().lower()} seats are taken."
        )
    try:
        with transaction.atomic():
            membership = BoardMembership.objects.create(
                board=board,
                category=category,
                seat=seat,
                participant=participant,
                user=user,
                position=position,
                route=route,
                lottery_draw=lottery_draw,
                term_start=term_start,
                term_end=term_end,
            )
    except IntegrityError as exc:
        raise GovernanceError(_membership_conflict(board, participant, user, position)) from exc
    if participant is not None:
        participation_record(
            participant=participant,
            kind=ParticipationRecord.Kind.BOARD,
            occurred_at=_midday(term_start),
            action=membership,
            area=board.partnership.area,
            partnership=board.partnership,
        )
    audit_record(
        actor=added_by,
        action="board_membership.added",
        obj=membership,
        fields=["participant" if participant else "user", "position", "term_start", "term_end"],
    )
    return membership


def _membership_conflict(board, participant, user, position) -> str:
    current = BoardMembership.objects.filter(board=board, status=BoardMembership.Status.CURRENT)
    if (participant and current.filter(participant=participant).exists()) or (
        user and current.filter(user=user).exists()
    ):
        return "This person already holds a seat on the board."
    if position != BoardMembership.Position.MEMBER:
        label = BoardMembership.Position(position).label.lower()
        return f"The board already has a {label}: end their term or change their position first."
    return "That seat was taken a moment ago: try again."


@transaction.atomic
def board_membership_end(
    *, membership: BoardMembership, ended_on: date, ended_by
) -> BoardMembership:
    """End a membership; the seat falls vacant. Ending one already ended changes nothing."""
    locked = BoardMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.status == BoardMembership.Status.ENDED:
        return locked
    if ended_on < locked.term_start:
        raise GovernanceError("A membership cannot end before it started.")
    if ended_on > timezone.localdate():
        # Ending frees the seat at once: a member leaving later still sits (and is
        # recorded at meetings) until their last day.
        raise GovernanceError(
            f"{locked.person_name} is on the board until {ended_on:%-d %B %Y}: "
            "end their membership on their last day or after."
        )
    locked.status = BoardMembership.Status.ENDED
    locked.ended_on = ended_on
    locked.save(update_fields=["status", "ended_on", "updated_at"])
    audit_record(actor=ended_by, action="board_membership.ended", obj=locked, fields=["ended_on"])
    return locked
