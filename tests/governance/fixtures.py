"""This app's shared pytest fixtures, registered for the whole suite in tests/conftest.py.

Fixtures the role x page matrix names live here, so that every test module sees them.
A partnership for the `aap` area with a Durham-style board: the `board_member` fixture
holds a community seat (through their participant profile) and `elected_member` an
elected member's seat.
"""

import datetime as dt

import pytest
from django.utils import timezone

from governance.models import (
    BoardMembership,
    Meeting,
    Priority,
    PriorityCycle,
    SeatCategory,
    SignOffRequest,
)
from governance.services.boards import board_membership_add
from governance.services.lottery import lottery_draw, seat_call_create
from governance.services.meetings import agenda_item_add, minutes_publish, minutes_save
from governance.signoffs import signoff_request
from tests.governance.factories import (
    BoardFactory,
    MeetingFactory,
    ParticipantFactory,
    PartnershipFactory,
    PriorityCycleFactory,
    PriorityFactory,
)


@pytest.fixture
def partnership(aap, partner_user):
    return PartnershipFactory(
        name="Northfield Central AAP", area=aap, agencies=[partner_user.partner_agency]
    )


@pytest.fixture
def board_member_participant(board_member, ward):
    return ParticipantFactory(user=board_member, full_name=board_member.full_name, home_ward=ward)


@pytest.fixture
def board(partnership, officer, board_member_participant, elected_member):
    board = BoardFactory(partnership=partnership, created_by=officer)
    today = timezone.localdate()
    board_membership_add(
        board=board,
        kind=SeatCategory.Kind.COMMUNITY,
        participant=board_member_participant,
        term_start=today - dt.timedelta(days=100),
        added_by=officer,
    )
    board_membership_add(
        board=board,
        kind=SeatCategory.Kind.ELECTED_MEMBER,
        user=elected_member,
        term_start=today - dt.timedelta(days=100),
        position=BoardMembership.Position.CHAIR,
        added_by=officer,
    )
    return board


@pytest.fixture
def board_membership(board, board_member):
    return BoardMembership.objects.get(board=board, participant__user=board_member)


@pytest.fixture
def proposing_cycle(partnership, officer):
    return PriorityCycleFactory(partnership=partnership, created_by=officer)


@pytest.fixture
def voting_cycle(partnership, officer):
    cycle = PriorityCycleFactory(
        partnership=partnership, created_by=officer, status=PriorityCycle.Status.VOTING
    )
    PriorityFactory.create_batch(3, cycle=cycle)
    return cycle


@pytest.fixture
def review_cycle(board, partnership, officer):
    cycle = PriorityCycleFactory(
        partnership=partnership, created_by=officer, status=PriorityCycle.Status.BOARD_REVIEW
    )
    PriorityFactory.create_batch(3, cycle=cycle)
    return cycle


@pytest.fixture
def adopted_priority(partnership, officer):
    cycle = PriorityCycleFactory(
        partnership=partnership,
        created_by=officer,
        status=PriorityCycle.Status.DECIDED,
        needs_ratification=False,
    )
    return PriorityFactory(cycle=cycle, status=Priority.Status.ADOPTED)


@pytest.fixture
def board_meeting(board, partnership, officer):
    meeting = MeetingFactory(partnership=partnership, kind=Meeting.Kind.BOARD, created_by=officer)
    agenda_item_add(meeting=meeting, title="Priorities for the year", added_by=officer)
    return meeting


@pytest.fixture
def agenda_item(board_meeting):
    return board_meeting.items.get()


@pytest.fixture
def forum_meeting(partnership, officer):
    return MeetingFactory(
        partnership=partnership, kind=Meeting.Kind.FORUM, title="Spring forum", created_by=officer
    )


@pytest.fixture
def published_meeting(board_meeting, officer):
    minutes_save(
        meeting=board_meeting, minutes="The board met and agreed its priorities.", saved_by=officer
    )
    return minutes_publish(meeting=board_meeting, published_by=officer)


@pytest.fixture
def seat_call(board, officer):
    today = timezone.localdate()
    return seat_call_create(
        board=board,
        title="Community members wanted",
        seats=2,
        opens_on=today,
        closes_on=today + dt.timedelta(days=28),
        created_by=officer,
    )


@pytest.fixture
def lottery_draw_record(seat_call, officer):
    return lottery_draw(call=seat_call, drawn_by=officer, seed=42)


@pytest.fixture
def signoff(adopted_priority, officer, ward):
    return signoff_request(
        kind=SignOffRequest.Kind.RATIFICATION,
        subject=adopted_priority,
        key="adoption",
        summary="Ratify the adoption of a priority.",
        requested_by=officer,
        areas=[ward],
    )


@pytest.fixture
def membership_to_end(board, board_member):
    return BoardMembership.objects.get(board=board, participant__user=board_member)


@pytest.fixture
def partnership_with_board(board):
    return board.partnership


@pytest.fixture
def agenda_item_with_paper(board_meeting, officer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    return agenda_item_add(
        meeting=board_meeting,
        title="Budget report",
        paper=SimpleUploadedFile("budget-report.pdf", b"%PDF-1.4 report"),
        is_public=False,
        added_by=officer,
    )
