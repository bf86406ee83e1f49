import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from engagement.models import ParticipationRecord
from governance.models import Ballot, BallotChoice, Meeting, Priority, PriorityCycle
from governance.services.errors import AlreadyVotedError, ForumTieError, GovernanceError
from governance.services.priorities import (
    ballot_cast,
    priority_cycle_adopt_forum_result,
    priority_cycle_advance,
    priority_cycle_tally,
    priority_projects_set,
    priority_propose,
    priority_review_save,
    task_group_member_add,
)
from tests.governance.factories import (
    MeetingFactory,
    ParticipantFactory,
    PriorityCycleFactory,
    PriorityFactory,
    ProjectFactory,
)
from tests.services import postgresql


def vote(cycle, choices, participant=None, channel="online", by=None, on=None):
    return ballot_cast(
        cycle=cycle,
        participant=participant or ParticipantFactory(),
        choices=choices,
        channel=channel,
        cast_by=by,
        cast_on=on,
    )


@pytest.mark.django_db
def test_vote_cannot_be_cast_twice(voting_cycle):
    # given
    participant = ParticipantFactory()
    first = voting_cycle.priorities.first()
    vote(voting_cycle, {first.pk: 1}, participant)
    # when / then
    with pytest.raises(AlreadyVotedError):
        vote(voting_cycle, {first.pk: 1}, participant)
    assert Ballot.objects.filter(participant=participant).count() == 1


@pytest.mark.django_db
def test_database_refuses_a_second_ballot(voting_cycle):
    # given
    participant = ParticipantFactory()
    vote(voting_cycle, {voting_cycle.priorities.first().pk: 1}, participant)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(cycle=voting_cycle, participant=participant, channel="online")


@pytest.mark.django_db(transaction=True)
@postgresql("SQLite serialises writers: the race needs PostgreSQL")
def test_two_concurrent_ballots_from_one_person_count_once(voting_cycle, officer):
    """Two submissions at once (a double click, or online and paper together): one ballot."""
    # given
    participant = ParticipantFactory()
    priority_id = voting_cycle.priorities.first().pk
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            vote(voting_cycle, {priority_id: 1}, participant)
            outcomes.append("cast")
        except AlreadyVotedError:
            outcomes.append("refused")
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert sorted(outcomes) == ["cast", "refused"]
    assert Ballot.objects.filter(participant=participant).count() == 1
    assert ParticipationRecord.objects.filter(participant=participant, kind="vote").count() == 1


@pytest.mark.django_db
def test_approval_refuses_too_many_ticks(voting_cycle):
    # given
    ids = list(voting_cycle.priorities.values_list("pk", flat=True))
    voting_cycle.votes_per_person = 2
    voting_cycle.save()
    # when / then
    with pytest.raises(GovernanceError, match="no more than 2"):
        vote(voting_cycle, dict.fromkeys(ids, 1))
    assert not Ballot.objects.exists()


@pytest.mark.django_db
def test_ranking_needs_consecutive_ranks(partnership, officer):
    # given
    cycle = PriorityCycleFactory(
        partnership=partnership, created_by=officer, status="voting", voting_method="ranking"
    )
    a, b = PriorityFactory.create_batch(2, cycle=cycle)
    # when / then
    with pytest.raises(GovernanceError, match="1, 2, 3"):
        vote(cycle, {a.pk: 1, b.pk: 3})


@pytest.mark.django_db
def test_dots_cannot_exceed_allowance(partnership, officer):
    # given
    cycle = PriorityCycleFactory(
        partnership=partnership,
        created_by=officer,
        status="voting",
        voting_method="dots",
        votes_per_person=5,
    )
    a, b = PriorityFactory.create_batch(2, cycle=cycle)
    # when / then
    with pytest.raises(GovernanceError, match="5 dots"):
        vote(cycle, {a.pk: 4, b.pk: 2})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "ballots", "expected"),
    [
        # approval: a tick is a point
        ("approval", [{"a": 1, "b": 1}, {"a": 1}], {"a": 2, "b": 1, "c": 0}),
        # ranking of 3: first 3 points, second 2, third 1 (Borda)
        ("ranking", [{"a": 1, "b": 2, "c": 3}, {"c": 1, "a": 2}], {"a": 5, "b": 2, "c": 4}),
        # dots: the dots given
        ("dots", [{"a": 2, "c": 1}, {"c": 3}], {"a": 2, "b": 0, "c": 4}),
    ],
)
def test_tally_per_method(partnership, officer, method, ballots, expected):
    # given
    cycle = PriorityCycleFactory(
        partnership=partnership, created_by=officer, status="voting", voting_method=method
    )
    priorities = {key: PriorityFactory(cycle=cycle, title=key) for key in "abc"}
    for ballot in ballots:
        vote(cycle, {priorities[k].pk: v for k, v in ballot.items()})
    # when
    scores = {p.title: p.score for p in priority_cycle_tally(cycle=cycle)}
    # then
    assert scores == expected


@pytest.mark.django_db
def test_closing_the_vote_records_the_forum_result(voting_cycle, officer):
    # given
    _first, second, third = voting_cycle.priorities.order_by("pk")
    vote(voting_cycle, {second.pk: 1, third.pk: 1})
    vote(voting_cycle, {second.pk: 1})
    # when
    cycle = priority_cycle_advance(cycle=voting_cycle, advanced_by=officer)
    # then
    assert cycle.status == PriorityCycle.Status.BOARD_REVIEW
    ranks = dict(Priority.objects.filter(cycle=cycle).values_list("title", "forum_rank"))
    assert ranks[second.title] == 1
    assert ranks[third.title] == 2
    assert Priority.objects.get(pk=second.pk).forum_score == 2


@pytest.mark.django_db
def test_priorities_the_forum_gave_equal_votes_share_a_rank(voting_cycle, officer):
    """A tie is shown as a tie (1, 2, 2), not split by the titles' alphabetical order."""
    # given
    first, second, third = voting_cycle.priorities.order_by("pk")
    vote(voting_cycle, {first.pk: 1, second.pk: 1})
    vote(voting_cycle, {first.pk: 1, third.pk: 1})
    # when
    cycle = priority_cycle_advance(cycle=voting_cycle, advanced_by=officer)
    # then
    ranks = dict(Priority.objects.filter(cycle=cycle).values_list("pk", "forum_rank"))
    assert ranks == {first.pk: 1, second.pk: 2, third.pk: 2}


@pytest.mark.django_db
def test_paper_ballot_needs_an_officer_and_is_recorded_as_paper(voting_cycle, officer):
    # given
    priority = voting_cycle.priorities.first()
    # when
    ballot = vote(voting_cycle, {priority.pk: 1}, channel="paper", by=officer)
    # then
    assert ballot.entered_by == officer
    assert ParticipationRecord.objects.get(kind="vote").priority_cycle == voting_cycle
    with pytest.raises(GovernanceError, match="entered by an officer"):
        vote(voting_cycle, {priority.pk: 1}, channel="paper", by=None)


def _forum_held(cycle, *, days_ago):
    """Give the cycle a forum that met days ago at 7pm; returns when it began."""
    starts_at = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() - dt.timedelta(days=days_ago), dt.time(19))
    )
    cycle.forum = MeetingFactory(partnership=cycle.partnership, kind="forum", starts_at=starts_at)
    cycle.save()
    return starts_at


def _begun_days_ago(cycle, days):
    PriorityCycle.objects.filter(pk=cycle.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )
    cycle.refresh_from_db()


@pytest.mark.django_db
def test_paper_ballot_is_dated_the_forum_night_and_counts_as_taking_part_then(
    voting_cycle, officer
):
    # given: the cycle began a month ago; its forum met a fortnight ago at 7pm
    _begun_days_ago(voting_cycle, 30)
    forum_at = _forum_held(voting_cycle, days_ago=14)
    priority = voting_cycle.priorities.first()
    # when: an officer types up a ballot filled in that night, and one from a week ago
    at_forum = vote(
        voting_cycle, {priority.pk: 1}, channel="paper", by=officer, on=forum_at.date()
    )
    week_ago = timezone.localdate() - dt.timedelta(days=7)
    later = vote(voting_cycle, {priority.pk: 1}, channel="paper", by=officer, on=week_ago)
    # then: each is dated as filled in, and so is the taking part it records
    assert at_forum.cast_at == forum_at
    assert timezone.localtime(later.cast_at).date() == week_ago
    assert timezone.localtime(later.cast_at).hour == 12
    records = ParticipationRecord.objects.filter(kind="vote").order_by("occurred_at")
    assert [r.occurred_at for r in records] == [forum_at, later.cast_at]


@pytest.mark.django_db
def test_a_cycle_set_up_after_its_forum_takes_ballots_dated_the_forum_night(voting_cycle, officer):
    # given: the public meeting voted a week ago; the cycle was set up today to record it
    forum_at = _forum_held(voting_cycle, days_ago=7)
    priority = voting_cycle.priorities.first()

    def cast(days_ago):
        day = timezone.localdate() - dt.timedelta(days=days_ago)
        return vote(voting_cycle, {priority.pk: 1}, channel="paper", by=officer, on=day)

    # when / then: the forum's night is accepted, the day before it is not
    assert cast(7).cast_at == forum_at
    with pytest.raises(GovernanceError, match="before the cycle began or its forum met"):
        cast(8)
    # and a cancelled forum gives no such date
    Meeting.objects.filter(pk=voting_cycle.forum_id).update(status="cancelled")
    voting_cycle.refresh_from_db()
    with pytest.raises(GovernanceError, match="before the cycle began"):
        cast(7)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_ago", "channel", "message"),
    [
        (-1, "paper", "cannot be in the future"),
        (31, "paper", "cannot be before the cycle began"),
        (3, "online", "Only a paper ballot is dated by hand"),
    ],
)
def test_a_ballot_date_is_refused_when_it_cannot_be_true(
    voting_cycle, officer, days_ago, channel, message
):
    # given
    _begun_days_ago(voting_cycle, 30)
    priority = voting_cycle.priorities.first()
    # when / then: refused, and nothing written
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    with pytest.raises(GovernanceError, match=message):
        vote(voting_cycle, {priority.pk: 1}, channel=channel, by=officer, on=day)
    assert not Ballot.objects.exists()
    assert not ParticipationRecord.objects.exists()


@pytest.mark.django_db
def test_vote_refused_outside_voting(proposing_cycle):
    priority = PriorityFactory(cycle=proposing_cycle)
    with pytest.raises(GovernanceError, match="not open"):
        vote(proposing_cycle, {priority.pk: 1})


@pytest.mark.django_db
def test_proposals_only_while_proposing(voting_cycle, officer):
    with pytest.raises(GovernanceError, match="no longer taking proposals"):
        priority_propose(cycle=voting_cycle, title="More bins", proposed_by_user=officer)


@pytest.mark.django_db
def test_review_only_by_the_boards_members(review_cycle, board_membership, officer):
    # given
    priority = review_cycle.priorities.first()
    # when
    review = priority_review_save(
        priority=priority, membership=board_membership, score=4, comment="Yes", saved_by=officer
    )
    again = priority_review_save(
        priority=priority, membership=board_membership, score=5, comment="", saved_by=officer
    )
    # then
    assert review.pk == again.pk
    assert again.score == 5


@pytest.mark.django_db
def test_review_score_must_be_1_to_5(review_cycle, board_membership, officer):
    with pytest.raises(GovernanceError, match="1 to 5"):
        priority_review_save(
            priority=review_cycle.priorities.first(),
            membership=board_membership,
            score=6,
            comment="",
            saved_by=officer,
        )


@pytest.mark.django_db
def test_task_group_waits_for_ratification(partnership, officer, ward):
    # given
    cycle = PriorityCycleFactory(partnership=partnership, created_by=officer, status="decided")
    priority = PriorityFactory(cycle=cycle, status=Priority.Status.ADOPTED)
    # when / then
    with pytest.raises(GovernanceError, match="ratify"):
        task_group_member_add(
            priority=priority,
            participant=ParticipantFactory(),
            joined_on=cycle.period_start,
            added_by=officer,
        )


@pytest.mark.django_db
def test_task_group_and_projects_for_priority_in_force(
    adopted_priority, officer, ward, other_ward
):
    # given
    resident = ParticipantFactory()
    local = ProjectFactory(areas=[ward])
    elsewhere = ProjectFactory(areas=[other_ward])
    # when
    task_group_member_add(
        priority=adopted_priority,
        participant=resident,
        role="lead",
        joined_on=adopted_priority.cycle.period_start,
        added_by=officer,
    )
    priority_projects_set(priority=adopted_priority, projects=[local], changed_by=officer)
    # then
    assert adopted_priority.task_group.get().participant == resident
    assert ParticipationRecord.objects.get(participant=resident).kind == "roster"
    assert list(adopted_priority.projects.all()) == [local]
    with pytest.raises(GovernanceError, match="is not a project in"):
        priority_projects_set(priority=adopted_priority, projects=[elsewhere], changed_by=officer)


@pytest.mark.django_db
def test_cycle_cannot_be_decided_while_priorities_are_undecided(review_cycle, officer):
    with pytest.raises(GovernanceError, match="not yet decided on 3 priorities"):
        priority_cycle_advance(cycle=review_cycle, advanced_by=officer)


@pytest.mark.django_db
def test_choice_points_checked_by_database(voting_cycle):
    # given
    ballot = vote(voting_cycle, {voting_cycle.priorities.first().pk: 1})
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        BallotChoice.objects.create(
            ballot=ballot, priority=voting_cycle.priorities.last(), points=0
        )


@pytest.mark.django_db
def test_forum_adopts_its_top_priorities_without_a_board(partnership, officer):
    """South Derbyshire: the quarterly public meeting's top 3 are adopted."""
    # given
    cycle = PriorityCycleFactory(
        partnership=partnership, created_by=officer, status="voting", needs_ratification=False
    )
    priorities = PriorityFactory.create_batch(4, cycle=cycle)
    for priority, voters in zip(priorities, [4, 3, 2, 1], strict=True):
        for _ in range(voters):
            vote(cycle, {priority.pk: 1})
    priority_cycle_advance(cycle=cycle, advanced_by=officer)
    # when
    adopted = priority_cycle_adopt_forum_result(cycle=cycle, decided_by=officer)
    # then
    assert adopted == priorities[:3]
    assert Priority.objects.get(pk=priorities[3].pk).status == Priority.Status.NOT_ADOPTED
    assert PriorityCycle.objects.get(pk=cycle.pk).status == PriorityCycle.Status.DECIDED


def forum_tied_at_third(partnership, officer, adopt_count=3):
    """Four priorities with 3, 2, 1 and 1 votes: the forum ranks them 1, 2, 3 and 3."""
    cycle = PriorityCycleFactory(
        partnership=partnership,
        created_by=officer,
        status="voting",
        needs_ratification=False,
        adopt_count=adopt_count,
    )
    titles = ["Speeding on Mill Lane", "Dog fouling", "Alley lighting", "Zebra crossing"]
    priorities = [PriorityFactory(cycle=cycle, title=title) for title in titles]
    for priority, voters in zip(priorities, [3, 2, 1, 1], strict=True):
        for _ in range(voters):
            vote(cycle, {priority.pk: 1})
    priority_cycle_advance(cycle=cycle, advanced_by=officer)
    return cycle, priorities


@pytest.mark.django_db
def test_a_tie_at_the_cut_off_is_put_to_the_meeting_not_settled_by_the_alphabet(
    partnership, officer
):
    """3rd and 4th share forum rank 3 of a top 3: adopting the forum's result is refused
    with the tie named, and nothing is adopted."""
    # given
    cycle, _priorities = forum_tied_at_third(partnership, officer)
    # when / then
    with pytest.raises(ForumTieError) as refused:
        priority_cycle_adopt_forum_result(cycle=cycle, decided_by=officer)
    assert "“Alley lighting” and “Zebra crossing” share forum rank 3" in refused.value.messages[0]
    assert "1 place left" in refused.value.messages[0]
    assert set(cycle.priorities.values_list("status", flat=True)) == {Priority.Status.PROPOSED}
    assert PriorityCycle.objects.get(pk=cycle.pk).status == PriorityCycle.Status.BOARD_REVIEW


@pytest.mark.django_db
def test_the_meeting_decides_the_tie_and_who_decided_and_why_is_kept(partnership, officer):
    # given
    cycle, (first, second, alley, zebra) = forum_tied_at_third(partnership, officer)
    # when
    adopted = priority_cycle_adopt_forum_result(
        cycle=cycle,
        decided_by=officer,
        tie_chosen=[zebra.pk],
        tie_reason="The chair's casting vote at the meeting of 12 May.",
    )
    # then
    assert adopted == [first, second, zebra]
    assert Priority.objects.get(pk=alley.pk).status == Priority.Status.NOT_ADOPTED
    cycle = PriorityCycle.objects.get(pk=cycle.pk)
    assert cycle.status == PriorityCycle.Status.DECIDED
    assert cycle.tie_break_reason == "The chair's casting vote at the meeting of 12 May."
    assert cycle.tie_broken_by == officer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("chosen", "reason", "why"),
    [
        ("both", "Show of hands", "Choose no more than 1 of the tied priorities"),
        ("first", "Show of hands", "Choose only from the priorities the forum's vote tied on"),
        ("zebra", "  ", "Say who decided the tie and why"),
    ],
)
def test_a_tie_decided_wrongly_is_refused(partnership, officer, chosen, reason, why):
    # given
    cycle, (first, _second, alley, zebra) = forum_tied_at_third(partnership, officer)
    pks = {"both": [alley.pk, zebra.pk], "first": [first.pk], "zebra": [zebra.pk]}[chosen]
    # when / then
    with pytest.raises(ForumTieError, match=why):
        priority_cycle_adopt_forum_result(
            cycle=cycle, decided_by=officer, tie_chosen=pks, tie_reason=reason
        )
    assert PriorityCycle.objects.get(pk=cycle.pk).tie_break_reason == ""


@pytest.mark.django_db
def test_a_tie_below_the_cut_off_needs_no_decision(partnership, officer):
    """Ranks 1, 2, 3, 3 with a top 2: the tie is for places not adopted anyway."""
    # given
    cycle, (first, second, _alley, _zebra) = forum_tied_at_third(
        partnership, officer, adopt_count=2
    )
    # when
    adopted = priority_cycle_adopt_forum_result(cycle=cycle, decided_by=officer)
    # then
    assert adopted == [first, second]
    assert PriorityCycle.objects.get(pk=cycle.pk).tie_break_reason == ""


@pytest.mark.django_db
def test_forum_result_not_adopted_directly_where_a_board_decides(review_cycle, officer):
    with pytest.raises(GovernanceError, match="board decides"):
        priority_cycle_adopt_forum_result(cycle=review_cycle, decided_by=officer)
