import datetime as dt

import pytest
from django.utils import timezone

from engagement.models import Attendance, ParticipationRecord
from governance.models import BoardMembership, Decision, MemberAttendance, Priority
from governance.services.boards import board_membership_add, board_membership_end
from governance.services.errors import GovernanceError, InterestedMemberError, QuorumNotMetError
from governance.services.meetings import (
    agenda_item_add,
    decision_record,
    interest_declare,
    meeting_attendance_record,
    meeting_quorum,
    member_attendance_set,
    minutes_publish,
    minutes_save,
)
from tests.governance.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def members(board):
    return list(
        BoardMembership.objects.filter(board=board, status="current").order_by("category__kind")
    )


def present_all(meeting, board, officer):
    member_attendance_set(
        meeting=meeting,
        statuses={m.pk: MemberAttendance.Status.PRESENT for m in members(board)},
        recorded_by=officer,
    )


@pytest.fixture
def quorate_board(board, officer):
    """The fixture board with quorum 2: its community and elected members."""
    board.quorum = 2
    board.save()
    return board


def test_decision_refused_without_quorum(board, board_meeting, agenda_item, officer):
    """The board's quorum is 6; with 2 members present nothing can be decided."""
    # given
    present_all(board_meeting, board, officer)
    first, second = members(board)
    # when / then
    with pytest.raises(QuorumNotMetError, match="2 of the 6 members needed are present"):
        decision_record(
            item=agenda_item,
            motion="Adopt the plan.",
            proposer=first,
            seconder=second,
            votes={first: "for", second: "for"},
            recorded_by=officer,
        )
    assert not Decision.objects.exists()


def test_category_quorum_is_checked_too(quorate_board, board_meeting, agenda_item, officer):
    # given
    category = quorate_board.categories.get(kind="partner")
    category.quorum = 1
    category.save()
    present_all(board_meeting, quorate_board, officer)
    # when
    quorum = meeting_quorum(meeting=board_meeting)
    # then
    assert not quorum.met
    assert quorum.shortfalls == ["0 of the 1 partner managers needed are present"]


def test_a_member_who_left_after_the_meeting_still_counts_for_its_quorum(
    quorate_board, board_meeting, agenda_item, officer
):
    """The meeting's record stays quorate when a member present that day leaves later."""
    # given
    present_all(board_meeting, quorate_board, officer)
    first, second = members(quorate_board)
    board_membership_end(membership=first, ended_on=timezone.localdate(), ended_by=officer)
    # when
    quorum = meeting_quorum(meeting=board_meeting)
    decision = decision_record(
        item=agenda_item,
        motion="Note the report.",
        proposer=first,
        seconder=second,
        votes={first: "for", second: "for"},
        recorded_by=officer,
    )
    # then
    assert quorum.met
    assert quorum.present == 2
    assert decision.votes_for == 2
    # a member who had left before the meeting's day does not count
    BoardMembership.objects.filter(pk=first.pk).update(
        ended_on=board_meeting.event.day - dt.timedelta(days=1)
    )
    assert meeting_quorum(meeting=board_meeting).present == 1


def test_decision_recorded_when_quorate(quorate_board, board_meeting, agenda_item, officer):
    # given
    present_all(board_meeting, quorate_board, officer)
    first, second = members(quorate_board)
    # when
    decision = decision_record(
        item=agenda_item,
        motion="Adopt the plan.",
        proposer=first,
        seconder=second,
        votes={first: "for", second: "abstain"},
        recorded_by=officer,
    )
    # then
    assert (decision.votes_for, decision.votes_against, decision.abstentions) == (1, 0, 1)
    assert decision.outcome == Decision.Outcome.CARRIED


def test_member_with_declared_interest_cannot_vote(
    quorate_board, board_meeting, agenda_item, officer
):
    # given
    present_all(board_meeting, quorate_board, officer)
    first, second = members(quorate_board)
    interest_declare(
        item=agenda_item,
        membership=second,
        kind="pecuniary",
        nature="Runs the charity applying.",
        withdrew=True,
        declared_by=officer,
    )
    # when / then
    with pytest.raises(InterestedMemberError, match="cannot be its seconder"):
        decision_record(
            item=agenda_item,
            motion="Award the grant.",
            proposer=first,
            seconder=second,
            votes={first: "for"},
            recorded_by=officer,
        )
    assert not Decision.objects.exists()


def test_interested_member_vote_refused(
    quorate_board, board_meeting, agenda_item, officer, partner_user
):
    """An interested member who is neither proposer nor seconder still cannot vote."""
    # given
    third = board_membership_add(
        board=quorate_board,
        kind="partner",
        user=partner_user,
        term_start=board_meeting.event.starts_at.date(),
        added_by=officer,
    )
    present_all(board_meeting, quorate_board, officer)
    first, second = members(quorate_board)[:2]
    interest_declare(
        item=agenda_item,
        membership=second,
        kind="other_registrable",
        nature="Trustee.",
        withdrew=False,
        declared_by=officer,
    )
    # when / then
    with pytest.raises(InterestedMemberError, match="cannot vote on it"):
        decision_record(
            item=agenda_item,
            motion="Award the grant.",
            proposer=first,
            seconder=third,
            votes={first: "for", third: "for", second: "against"},
            recorded_by=officer,
        )
    assert not Decision.objects.exists()


def test_interest_cannot_be_declared_after_voting(
    quorate_board, board_meeting, agenda_item, officer
):
    # given
    present_all(board_meeting, quorate_board, officer)
    first, second = members(quorate_board)
    decision_record(
        item=agenda_item,
        motion="Note the report.",
        proposer=first,
        seconder=second,
        votes={first: "for", second: "for"},
        recorded_by=officer,
    )
    # when / then
    with pytest.raises(GovernanceError, match="before the vote"):
        interest_declare(
            item=agenda_item,
            membership=first,
            kind="pecuniary",
            nature="x",
            withdrew=False,
            declared_by=officer,
        )


def test_absent_member_cannot_propose(quorate_board, board_meeting, agenda_item, officer):
    # given
    first, second = members(quorate_board)
    member_attendance_set(
        meeting=board_meeting,
        statuses={first.pk: "present", second.pk: "apologies"},
        recorded_by=officer,
    )
    quorate_board.quorum = 1
    quorate_board.save()
    # when / then
    with pytest.raises(GovernanceError, match="seconder must be a board member present"):
        decision_record(
            item=agenda_item,
            motion="Note.",
            proposer=first,
            seconder=second,
            votes={first: "for"},
            recorded_by=officer,
        )


def test_community_member_attendance_enters_the_ledger(
    board, board_meeting, officer, board_member
):
    # when
    present_all(board_meeting, board, officer)
    # then
    attendance = Attendance.objects.get(event=board_meeting.event)
    assert attendance.participant.user == board_member
    assert (
        ParticipationRecord.objects.filter(kind="attendance", event=board_meeting.event).count()
        == 1
    )


def test_attendance_is_not_recorded_before_the_meeting(board, board_meeting, officer):
    # given a meeting next month
    event = board_meeting.event
    event.starts_at = timezone.now() + dt.timedelta(days=30)
    event.ends_at = event.starts_at + dt.timedelta(hours=2)
    event.save()
    # when / then
    with pytest.raises(GovernanceError, match="record who came on the day or after"):
        present_all(board_meeting, board, officer)
    with pytest.raises(GovernanceError, match="record who came on the day or after"):
        meeting_attendance_record(
            meeting=board_meeting,
            participant=ParticipantFactory(),
            attended=True,
            recorded_by=officer,
        )
    board_meeting.refresh_from_db()
    assert board_meeting.status == board_meeting.Status.SCHEDULED
    assert not MemberAttendance.objects.exists()


def test_forum_attendance_recorded_and_withdrawn(forum_meeting, officer):
    # given
    resident = ParticipantFactory()
    # when
    meeting_attendance_record(
        meeting=forum_meeting, participant=resident, attended=True, recorded_by=officer
    )
    meeting_attendance_record(
        meeting=forum_meeting, participant=resident, attended=False, recorded_by=officer
    )
    # then
    assert Attendance.objects.get(participant=resident).status == Attendance.Status.ABSENT
    assert not ParticipationRecord.objects.filter(participant=resident).exists()


def test_minutes_publish_needs_minutes_and_then_freezes(board_meeting, officer):
    # when / then
    with pytest.raises(GovernanceError, match="Write the minutes"):
        minutes_publish(meeting=board_meeting, published_by=officer)
    minutes_save(meeting=board_meeting, minutes="Met.", saved_by=officer)
    minutes_publish(meeting=board_meeting, published_by=officer)
    with pytest.raises(GovernanceError, match="published"):
        minutes_save(meeting=board_meeting, minutes="Changed.", saved_by=officer)


def test_minutes_of_a_meeting_still_to_come_are_not_published(board_meeting, officer):
    """Publishing marks the meeting held and closes its record: done three weeks early,
    the meeting could never have its attendance or decisions recorded."""
    # given a meeting in three weeks, with minutes drafted
    event = board_meeting.event
    event.starts_at = timezone.now() + dt.timedelta(days=21)
    event.ends_at = event.starts_at + dt.timedelta(hours=2)
    event.save()
    minutes_save(meeting=board_meeting, minutes="The board met.", saved_by=officer)
    # when / then
    with pytest.raises(GovernanceError, match="publish its minutes on the day or after"):
        minutes_publish(meeting=board_meeting, published_by=officer)
    board_meeting.refresh_from_db()
    assert board_meeting.minutes_published_at is None
    assert board_meeting.status == board_meeting.Status.SCHEDULED


def test_decision_adopts_priority_and_asks_for_ratification(
    quorate_board, board_meeting, agenda_item, review_cycle, officer
):
    # given
    present_all(board_meeting, quorate_board, officer)
    first, second = members(quorate_board)
    priority = review_cycle.priorities.first()
    # when
    decision_record(
        item=agenda_item,
        motion="Adopt it.",
        proposer=first,
        seconder=second,
        votes={first: "for", second: "for"},
        priority=priority,
        effect="adopt",
        recorded_by=officer,
    )
    # then
    priority.refresh_from_db()
    assert priority.status == Priority.Status.ADOPTED
    from governance.services.priorities import priority_ratification

    assert priority_ratification(priority).status == "pending"


def test_published_minutes_freeze_the_meetings_record(
    quorate_board, board_meeting, agenda_item, officer
):
    """Published minutes show the meeting's attendance, declarations and decisions as
    they stand: once published, none of them can be added to or changed."""
    # given
    present_all(board_meeting, quorate_board, officer)
    first, second = members(quorate_board)
    minutes_save(meeting=board_meeting, minutes="The board met.", saved_by=officer)
    minutes_publish(meeting=board_meeting, published_by=officer)
    # when / then
    with pytest.raises(GovernanceError, match="minutes of this meeting are published"):
        decision_record(
            item=agenda_item,
            motion="Adopt the plan.",
            proposer=first,
            seconder=second,
            votes={first: "for", second: "for"},
            recorded_by=officer,
        )
    with pytest.raises(GovernanceError, match="minutes of this meeting are published"):
        interest_declare(
            item=agenda_item,
            membership=first,
            kind="pecuniary",
            nature="Owns the shop.",
            withdrew=False,
            declared_by=officer,
        )
    with pytest.raises(GovernanceError, match="minutes of this meeting are published"):
        member_attendance_set(
            meeting=board_meeting, statuses={first.pk: "absent"}, recorded_by=officer
        )
    with pytest.raises(GovernanceError, match="minutes of this meeting are published"):
        agenda_item_add(meeting=board_meeting, title="Any other business", added_by=officer)
    assert not Decision.objects.exists()
    assert not agenda_item.declarations.exists()
    assert board_meeting.items.count() == 1
    assert set(board_meeting.member_attendance.values_list("status", flat=True)) == {"present"}
