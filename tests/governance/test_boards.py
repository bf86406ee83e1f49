import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagement.models import ParticipationRecord
from governance.models import AuditEvent, BoardMembership, Seat, SeatCategory
from governance.services.boards import (
    board_membership_add,
    board_membership_end,
    board_seats_set,
)
from governance.services.errors import GovernanceError, SeatsFullError
from tests.accounts.factories import ElectedMemberFactory, ResidentFactory
from tests.governance.factories import BoardFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 4, 1)


def fill(board, kind, count, officer):
    members = []
    for _ in range(count):
        members.append(
            board_membership_add(
                board=board,
                kind=kind,
                participant=ParticipantFactory(),
                term_start=TODAY,
                added_by=officer,
            )
        )
    return members


def test_board_create_makes_durham_seats(officer):
    """A 21-seat board: 7 numbered seats in each of three categories."""
    # when
    board = BoardFactory(created_by=officer)
    # then
    counts = {c.kind: c.seat_set.count() for c in board.categories.all()}
    assert counts == {"community": 7, "elected_member": 7, "partner": 7}
    assert Seat.objects.filter(category__board=board).count() == 21


def test_membership_add_refuses_when_seats_are_full(officer):
    """The eighth community member of a 7-seat category is refused."""
    # given
    board = BoardFactory(created_by=officer)
    fill(board, SeatCategory.Kind.COMMUNITY, 7, officer)
    # when / then
    with pytest.raises(SeatsFullError, match="All 7 community member seats are taken"):
        fill(board, SeatCategory.Kind.COMMUNITY, 1, officer)
    assert BoardMembership.objects.filter(board=board, status="current").count() == 7


def test_database_refuses_a_second_current_member_on_a_seat(officer):
    """Even written past the service, a seat holds one current member."""
    # given
    board = BoardFactory(created_by=officer)
    (first,) = fill(board, SeatCategory.Kind.COMMUNITY, 1, officer)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardMembership.objects.create(
            board=board,
            category=first.category,
            seat=first.seat,
            participant=ParticipantFactory(),
            term_start=TODAY,
        )


def test_ended_membership_frees_the_seat(officer):
    # given
    board = BoardFactory(created_by=officer, seats={"community": 1}, quorum=1)
    (member,) = fill(board, SeatCategory.Kind.COMMUNITY, 1, officer)
    # when
    board_membership_end(membership=member, ended_on=TODAY, ended_by=officer)
    (replacement,) = fill(board, SeatCategory.Kind.COMMUNITY, 1, officer)
    # then
    assert replacement.seat == member.seat


def test_seats_cannot_be_reduced_below_current_members(officer):
    # given
    board = BoardFactory(created_by=officer)
    fill(board, SeatCategory.Kind.COMMUNITY, 5, officer)
    # when / then
    with pytest.raises(SeatsFullError):
        board_seats_set(board=board, kind="community", seats=4, quorum=0, changed_by=officer)
    assert board.categories.get(kind="community").seat_set.count() == 7


def test_a_membership_is_not_ended_before_the_members_last_day(officer):
    """Ending frees the seat at once: a member who leaves next month still sits until then."""
    # given
    board = BoardFactory(created_by=officer)
    (member,) = fill(board, SeatCategory.Kind.COMMUNITY, 1, officer)
    next_month = timezone.localdate() + dt.timedelta(days=30)
    # when / then
    with pytest.raises(GovernanceError, match="end their membership on their last day or after"):
        board_membership_end(membership=member, ended_on=next_month, ended_by=officer)
    member.refresh_from_db()
    assert member.status == BoardMembership.Status.CURRENT
    assert member.ended_on is None


def test_seats_reduced_keeps_members_within_the_new_number(officer):
    """Members on seats above the new number move to vacant seats below it."""
    # given
    board = BoardFactory(created_by=officer)
    members = fill(board, SeatCategory.Kind.COMMUNITY, 3, officer)
    board_membership_end(membership=members[0], ended_on=TODAY, ended_by=officer)
    # when
    board_seats_set(board=board, kind="community", seats=2, quorum=0, changed_by=officer)
    # then
    numbers = sorted(
        BoardMembership.objects.filter(board=board, status="current").values_list(
            "seat__number", flat=True
        )
    )
    assert numbers == [1, 2]


def test_elected_member_seat_needs_an_elected_member(officer):
    # given
    board = BoardFactory(created_by=officer)
    # when / then
    with pytest.raises(GovernanceError, match="cannot hold"):
        board_membership_add(
            board=board,
            kind="elected_member",
            user=ResidentFactory(),
            term_start=TODAY,
            added_by=officer,
        )


def test_only_one_chair(officer):
    # given
    board = BoardFactory(created_by=officer)
    board_membership_add(
        board=board,
        kind="elected_member",
        user=ElectedMemberFactory(),
        position="chair",
        term_start=TODAY,
        added_by=officer,
    )
    # when / then
    with pytest.raises(GovernanceError, match="already has a chair"):
        board_membership_add(
            board=board,
            kind="elected_member",
            user=ElectedMemberFactory(),
            position="chair",
            term_start=TODAY,
            added_by=officer,
        )


def test_community_seat_enters_the_ledger_and_the_audit_trail(officer):
    # given
    board = BoardFactory(created_by=officer)
    # when
    (member,) = fill(board, SeatCategory.Kind.COMMUNITY, 1, officer)
    # then
    record = ParticipationRecord.objects.get(participant=member.participant)
    assert record.kind == ParticipationRecord.Kind.BOARD
    assert record.partnership == board.partnership
    event = AuditEvent.objects.get(action="board_membership.added")
    assert event.object_id == str(member.pk)
    assert member.participant.full_name not in str(event.fields)
