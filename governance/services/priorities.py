"""Priority cycles: proposals, votes, the forum's result, the board's review and
decision, ratification, task-and-finish groups and the projects that deliver them."""

from collections.abc import Iterable, Mapping
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Area
from engagement.models import Participant, ParticipationRecord
from engagement.participation import participation_record
from projects.models import Project

from ..audit import audit_record
from ..models import (
    Ballot,
    BallotChoice,
    BoardMembership,
    Decision,
    Meeting,
    Partnership,
    Priority,
    PriorityCycle,
    PriorityReview,
    SignOffRequest,
    TaskGroupMember,
    VotingMethod,
)
from ..signoffs import signoff_for, signoff_request
from .boards import _midday
from .errors import AlreadyVotedError, ForumTieError, GovernanceError

RATIFICATION_KEY = "adoption"

# The order a cycle moves through; each step may only go to the next.
NEXT_STATUS = {
    PriorityCycle.Status.PROPOSING: PriorityCycle.Status.VOTING,
    PriorityCycle.Status.VOTING: PriorityCycle.Status.BOARD_REVIEW,
    PriorityCycle.Status.BOARD_REVIEW: PriorityCycle.Status.DECIDED,
    PriorityCycle.Status.DECIDED: PriorityCycle.Status.CLOSED,
}


@transaction.atomic
def priority_cycle_create(
    *,
    partnership: Partnership,
    title: str,
    period_start: date,
    period_end: date,
    created_by,
    voting_method: str = VotingMethod.APPROVAL,
    votes_per_person: int = 3,
    adopt_count: int = 3,
    needs_ratification: bool = True,
    forum: Meeting | None = None,
) -> PriorityCycle:
    if period_end < period_start:
        raise GovernanceError("The period cannot end before it starts.")
    if votes_per_person < 1:
        raise GovernanceError("Each person needs at least one vote.")
    if forum is not None and (
        forum.partnership_id != partnership.pk or forum.kind != Meeting.Kind.FORUM
    ):
        raise GovernanceError("Choose one of this partnership's forums.")
    cycle = PriorityCycle.objects.create(
        partnership=partnership,
        title=title,
        period_start=period_start,
        period_end=period_end,
        voting_method=voting_method,
        votes_per_person=votes_per_person,
        adopt_count=adopt_count,
        needs_ratification=needs_ratification,
        forum=forum,
    )
    audit_record(actor=created_by, action="priority_cycle.created", obj=cycle)
    return cycle


@transaction.atomic
def priority_propose(
    *,
    cycle: PriorityCycle,
    title: str,
    proposed_by_user,
    description: str = "",
    participant: Participant | None = None,
) -> Priority:
    """A proposed priority, while the cycle takes proposals."""
    if cycle.status != PriorityCycle.Status.PROPOSING:
        raise GovernanceError("This cycle is no longer taking proposals.")
    title = title.strip()
    if cycle.priorities.filter(title__iexact=title).exists():
        raise GovernanceError("That priority has already been proposed.")
    try:
        with transaction.atomic():
            priority = Priority.objects.create(
                cycle=cycle, title=title, description=description, proposed_by=participant
            )
    except IntegrityError as exc:
        raise GovernanceError("That priority has already been proposed.") from exc
    audit_record(actor=proposed_by_user, action="priority.proposed", obj=priority)
    return priority


@transaction.atomic
def priority_cycle_advance(*, cycle: PriorityCycle, advanced_by) -> PriorityCycle:
    """Move the cycle on one step. Closing the vote records the forum's result."""
    locked = PriorityCycle.objects.select_for_update().get(pk=cycle.pk)
    target = NEXT_STATUS.get(locked.status)
    if target is None:
        raise GovernanceError("This cycle is closed.")
    candidates = locked.priorities.exclude(status=Priority.Status.WITHDRAWN)
    if target == PriorityCycle.Status.VOTING and not candidates.exists():
        raise GovernanceError("Nothing has been proposed yet, so there is nothing to vote on.")
    if target == PriorityCycle.Status.BOARD_REVIEW:
        _forum_result_record(locked)
    if target == PriorityCycle.Status.DECIDED:
        undecided = candidates.filter(status=Priority.Status.PROPOSED).count()
        if undecided:
            raise GovernanceError(
                f"The board has not yet decided on {undecided} "
                f"priorit{'y' if undecided == 1 else 'ies'}."
            )
    locked.status = target
    locked.save(update_fields=["status", "result_recorded_at", "updated_at"])
    # The caller's copy follows, so that it can go on using it.
    cycle.status, cycle.result_recorded_at = locked.status, locked.result_recorded_at
    audit_record(actor=advanced_by, action=f"priority_cycle.{target}", obj=locked)
    return locked


def _points(method: str | None, votes_per_person: int | None):
    """One choice's points under a method; without one, under each row's cycle's method
    (a join to the cycle)."""
    ranked = When(
        choices__rank__isnull=False,
        then=(
            Value(votes_per_person + 1) if votes_per_person else F("cycle__votes_per_person") + 1
        )
        - F("choices__rank"),
    )
    if method == VotingMethod.RANKING:
        return Case(ranked, default=Value(0), output_field=IntegerField())
    if method == VotingMethod.DOTS:
        return Coalesce("choices__points", 0)
    if method == VotingMethod.APPROVAL:
        return Case(
            When(choices__isnull=False, then=Value(1)), default=0, output_field=IntegerField()
        )
    return Case(
        When(
            cycle__voting_method=VotingMethod.RANKING,
            choices__rank__isnull=False,
            then=F("cycle__votes_per_person") + 1 - F("choices__rank"),
        ),
        When(cycle__voting_method=VotingMethod.DOTS, then=Coalesce("choices__points", 0)),
        When(cycle__voting_method=VotingMethod.APPROVAL, choices__isnull=False, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def priority_list_with_votes(*, priorities, cycle: PriorityCycle | None = None):
    """Priorities with their score and how many people voted for each, by aggregate SQL,
    under each one's cycle's method. Approval: one point a tick; ranking: a Borda count
    (first of n ranked gets n points); dot voting: the dots given."""
    points = _points(
        cycle.voting_method if cycle else None, cycle.votes_per_person if cycle else None
    )
    return priorities.exclude(status=Priority.Status.WITHDRAWN).annotate(
        score=Coalesce(Sum(points), 0),
        voters=Count("choices__ballot", distinct=True),
    )


def priority_cycle_tally(*, cycle: PriorityCycle):
    """A cycle's candidate priorities, highest score first."""
    return priority_list_with_votes(priorities=cycle.priorities.all(), cycle=cycle).order_by(
        "-score", "title"
    )


def _forum_result_record(cycle: PriorityCycle) -> None:
    """Rank by score; priorities with equal scores share a rank (1, 2, 2, 4), so a tie
    reads as one rather than as an order the titles' alphabet made."""
    rank, previous = 0, None
    for position, priority in enumerate(priority_cycle_tally(cycle=cycle), start=1):
        if priority.score != previous:
            rank, previous = position, priority.score
        Priority.objects.filter(pk=priority.pk).update(
            forum_score=priority.score, forum_rank=rank, updated_at=timezone.now()
        )
    cycle.result_recorded_at = timezone.now()


def _validate_choices(cycle: PriorityCycle, choices: Mapping[int, int]) -> None:
    if not choices:
        raise GovernanceError("Choose at least one priority.")
    valid = set(
        cycle.priorities.filter(status=Priority.Status.PROPOSED).values_list("pk", flat=True)
    )
    if set(choices) - valid:
        raise GovernanceError("You can only vote for this cycle's priorities.")
    allowed = cycle.votes_per_person
    values = list(choices.values())
    if cycle.voting_method == VotingMethod.APPROVAL:
        if len(choices) > allowed:
            raise GovernanceError(f"Choose no more than {allowed} priorities.")
        if any(v != 1 for v in values):
            raise GovernanceError("Tick the priorities you support.")
    elif cycle.voting_method == VotingMethod.RANKING:
        if len(choices) > allowed:
            raise GovernanceError(f"Rank no more than {allowed} priorities.")
        if sorted(values) != list(range(1, len(values) + 1)):
            raise GovernanceError("Number your choices 1, 2, 3 and so on, using each number once.")
    else:
        if any(v < 1 for v in values):
            raise GovernanceError("Give each priority you choose at least one dot.")
        if sum(values) > allowed:
            raise GovernanceError(f"You have {allowed} dots to share out, no more.")


def cycle_forum_start(cycle: PriorityCycle):
    """When the cycle's forum began, if it has one that was not cancelled."""
    forum = cycle.forum
    if forum is None or forum.status == Meeting.Status.CANCELLED:
        return None
    return forum.event.starts_at


def paper_ballot_earliest(cycle: PriorityCycle) -> date:
    """The first day a paper ballot can be dated: the day the cycle was set up, or its
    forum's day if that came first (a public meeting votes, then an officer sets up the
    cycle to record it)."""
    earliest = timezone.localdate(cycle.created_at)
    forum = cycle_forum_start(cycle)
    return min(earliest, timezone.localdate(forum)) if forum else earliest


def paper_ballot_date_problem(cycle: PriorityCycle, cast_on: date) -> str | None:
    """Why a paper ballot cannot carry this date, or None."""
    if cast_on > timezone.localdate():
        return "The date on the ballot paper cannot be in the future."
    earliest = paper_ballot_earliest(cycle)
    if cast_on < earliest:
        return (
            "The date on the ballot paper cannot be before the cycle began or its forum "
            f"met ({earliest:%-d %B %Y})."
        )
    return None


def _paper_cast_at(cycle: PriorityCycle, cast_on: date):
    problem = paper_ballot_date_problem(cycle, cast_on)
    if problem:
        raise GovernanceError(problem)
    if cast_on == timezone.localdate():
        return timezone.now()
    forum = cycle_forum_start(cycle)
    if forum and timezone.localdate(forum) == cast_on:
        return forum
    return _midday(cast_on)


@transaction.atomic
def ballot_cast(
    *,
    cycle: PriorityCycle,
    participant: Participant,
    choices: Mapping[int, int],
    channel: str,
    cast_by,
    cast_on: date | None = None,
) -> Ballot:
    """One person's set of votes, by priority id: 1 for a tick (approval), the rank
    (ranking), or the dots given (dot voting). A second ballot from the same person is
    refused, by this check and by the database's unique constraint when two arrive at
    once.

    A paper ballot is dated the day it was filled in (`cast_on`, often the forum's night),
    not the day an officer types it up: the vote counts as taking part in that month.
    """
    if cycle.status != PriorityCycle.Status.VOTING:
        raise GovernanceError("Voting is not open in this cycle.")
    if channel == Ballot.Channel.PAPER and cast_by is None:
        raise GovernanceError("A paper ballot is entered by an officer.")
    if cast_on and channel != Ballot.Channel.PAPER:
        raise GovernanceError("Only a paper ballot is dated by hand.")
    cast_at = _paper_cast_at(cycle, cast_on) if cast_on else timezone.now()
    _validate_choices(cycle, choices)
    if Ballot.objects.filter(cycle=cycle, participant=participant).exists():
        raise AlreadyVotedError("This person has already voted in this cycle.")
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                cycle=cycle,
                participant=participant,
                channel=channel,
                entered_by=cast_by if channel == Ballot.Channel.PAPER else None,
                cast_at=cast_at,
            )
    except IntegrityError as exc:
        raise AlreadyVotedError("This person has already voted in this cycle.") from exc
    ranked = cycle.voting_method == VotingMethod.RANKING
    BallotChoice.objects.bulk_create(
        BallotChoice(
            ballot=ballot,
            priority_id=priority_id,
            rank=value if ranked else None,
            points=value if cycle.voting_method == VotingMethod.DOTS else 1,
        )
        for priority_id, value in choices.items()
    )
    participation_record(
        participant=participant,
        kind=ParticipationRecord.Kind.VOTE,
        occurred_at=ballot.cast_at,
        action=ballot,
        area=participant.home_ward or cycle.partnership.area,
        partnership=cycle.partnership,
        priority_cycle=cycle,
        channel="online" if channel == Ballot.Channel.ONLINE else "post",
    )
    audit_record(actor=cast_by, action="ballot.cast", obj=ballot, fields=["choices"])
    return ballot


def _current_membership(cycle: PriorityCycle, user) -> BoardMembership | None:
    return (
        BoardMembership.objects.filter(
            board__partnership=cycle.partnership_id, status=BoardMembership.Status.CURRENT
        )
        .filter(Q(user=user) | Q(participant__user=user))
        .first()
    )


@transaction.atomic
def priority_review_save(
    *, priority: Priority, membership: BoardMembership, score: int, comment: str, saved_by
) -> PriorityReview:
    """A board member's score (1 to 5) and comment, changeable until the board decides."""
    cycle = priority.cycle
    if cycle.status != PriorityCycle.Status.BOARD_REVIEW:
        raise GovernanceError("Priorities are reviewed once the forum's vote is closed.")
    if (
        membership.status != BoardMembership.Status.CURRENT
        or membership.board.partnership_id != cycle.partnership_id
    ):
        raise GovernanceError("Only the partnership's board members review its priorities.")
    if not 1 <= score <= 5:
        raise GovernanceError("Score each priority from 1 to 5.")
    review, created = PriorityReview.objects.update_or_create(
        priority=priority, membership=membership, defaults={"score": score, "comment": comment}
    )
    audit_record(
        actor=saved_by,
        action="priority_review.saved" if created else "priority_review.changed",
        obj=review,
        fields=["score", "comment"],
    )
    return review


def priority_decide(
    *, priority: Priority, adopt: bool, decision: Decision, decided_by
) -> Priority:
    """The board's decision on a priority (called by decision_record). Adoption is sent
    to an elected member for ratification when the cycle needs it."""
    priority.status = Priority.Status.ADOPTED if adopt else Priority.Status.NOT_ADOPTED
    priority.decision = decision
    priority.decided_at = timezone.now()
    priority.save(update_fields=["status", "decision", "decided_at", "updated_at"])
    audit_record(actor=decided_by, action=f"priority.{priority.status}", obj=priority)
    if adopt and priority.cycle.needs_ratification:
        _ratification_request(
            priority,
            decided_by,
            f"the board ({decision.votes_for} for, {decision.votes_against} against, "
            f"{decision.abstentions} abstaining)",
        )
    return priority


def forum_tie_at_cut_off(candidates: list[Priority], adopt_count: int):
    """Where the forum's ranks tie across the cut-off (3rd and 4th share rank 3 of a top
    3): the tied priorities, by title, and how many places are left for them; None where
    the top `adopt_count` are clear. `candidates` are in forum rank order."""
    if not 0 < adopt_count < len(candidates):
        return None
    rank = candidates[adopt_count - 1].forum_rank
    if rank is None or candidates[adopt_count].forum_rank != rank:
        return None
    tied = [p for p in candidates if p.forum_rank == rank]
    above = sum(1 for p in candidates if p.forum_rank is not None and p.forum_rank < rank)
    return tied, adopt_count - above


def _tie_problem(tie, chosen: set[int], reason: str) -> dict[str, str] | None:
    """What is wrong with the tie's decision, keyed by the field to put right."""
    tied, places = tie
    names = " and ".join(f"“{p.title}”" for p in tied)
    if not chosen and not reason:
        return {
            "tie_chosen": f"The forum's vote tied at the cut-off: {names} share forum rank "
            f"{tied[0].forum_rank}, with {places} place{'s' if places != 1 else ''} left. "
            "Choose which of them to adopt, and say who decided and why."
        }
    if chosen - {p.pk for p in tied}:
        return {"tie_chosen": "Choose only from the priorities the forum's vote tied on."}
    if len(chosen) > places:
        return {"tie_chosen": f"Choose no more than {places} of the tied priorities."}
    if not reason:
        return {
            "tie_reason": "Say who decided the tie and why, for example the chair's casting vote."
        }
    return None


@transaction.atomic
def priority_cycle_adopt_forum_result(
    *,
    cycle: PriorityCycle,
    decided_by,
    tie_chosen: Iterable[int] = (),
    tie_reason: str = "",
) -> list[Priority]:
    """Where a partnership has no board, its public meeting decides: the forum's top
    `adopt_count` priorities are adopted and the rest are not (South Derbyshire's
    quarterly meetings, the Neighbourhood Action Groups).

    Where the forum's ranks tie across the cut-off, the meeting decides the tie, never the
    titles' alphabetical order: the officer records which of the tied priorities it
    adopted (`tie_chosen`, at most the places left), who decided and why (`tie_reason`);
    without them a ForumTieError says so and nothing changes."""
    locked = PriorityCycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status != PriorityCycle.Status.BOARD_REVIEW:
        raise GovernanceError("The forum's result is adopted once voting has closed.")
    if hasattr(locked.partnership, "board"):
        raise GovernanceError("This partnership's board decides its priorities.")
    candidates = list(
        locked.priorities.filter(status=Priority.Status.PROPOSED).order_by("forum_rank", "title")
    )
    tie = forum_tie_at_cut_off(candidates, locked.adopt_count)
    if tie is None:
        adopting = {p.pk for p in candidates[: locked.adopt_count]}
    else:
        chosen, reason = {int(pk) for pk in tie_chosen}, tie_reason.strip()
        problem = _tie_problem(tie, chosen, reason)
        if problem:
            raise ForumTieError(problem)
        tied, _places = tie
        above = {p.pk for p in candidates if p.forum_rank and p.forum_rank < tied[0].forum_rank}
        adopting = above | chosen
        locked.tie_break_reason, locked.tie_broken_by = reason, decided_by
    adopted = []
    for priority in candidates:
        adopt = priority.pk in adopting
        priority.status = Priority.Status.ADOPTED if adopt else Priority.Status.NOT_ADOPTED
        priority.decided_at = timezone.now()
        priority.save(update_fields=["status", "decided_at", "updated_at"])
        audit_record(actor=decided_by, action=f"priority.{priority.status}", obj=priority)
        if adopt:
            adopted.append(priority)
            if locked.needs_ratification:
                _ratification_request(priority, decided_by, "the forum")
    locked.status = cycle.status = PriorityCycle.Status.DECIDED
    locked.save(update_fields=["status", "tie_break_reason", "tie_broken_by", "updated_at"])
    audit_record(
        actor=decided_by,
        action="priority_cycle.decided",
        obj=locked,
        fields=["tie_break_reason", "tie_broken_by"] if tie else [],
    )
    return adopted


def _ratification_request(priority: Priority, requested_by, by_whom: str) -> SignOffRequest:
    partnership = priority.cycle.partnership
    return signoff_request(
        kind=SignOffRequest.Kind.RATIFICATION,
        subject=priority,
        key=RATIFICATION_KEY,
        summary=(
            f"{partnership}: {by_whom} adopted “{priority.title}” as a priority for "
            f"{priority.cycle.title}. Ratify the adoption."
        ),
        requested_by=requested_by,
        areas=[partnership.area],
    )


def priority_ratification(priority: Priority) -> SignOffRequest | None:
    return signoff_for(
        subject=priority, kind=SignOffRequest.Kind.RATIFICATION, key=RATIFICATION_KEY
    )


def priority_is_in_force(priority: Priority) -> bool:
    """Adopted, and ratified where the cycle needs it: ready for a task-and-finish group."""
    if priority.status != Priority.Status.ADOPTED:
        return False
    if not priority.cycle.needs_ratification:
        return True
    latest = priority_ratification(priority)
    return latest is not None and latest.status == SignOffRequest.Status.APPROVED


def _require_in_force(priority: Priority) -> None:
    if priority.status != Priority.Status.ADOPTED:
        raise GovernanceError("Only an adopted priority has a task-and-finish group.")
    if not priority_is_in_force(priority):
        raise GovernanceError(
            "An elected member must ratify the board's adoption of this priority first."
        )


@transaction.atomic
def task_group_member_add(
    *,
    priority: Priority,
    added_by,
    joined_on: date,
    participant: Participant | None = None,
    user=None,
    role: str = TaskGroupMember.Role.MEMBER,
) -> TaskGroupMember:
    _require_in_force(priority)
    if (participant is None) == (user is None):
        raise GovernanceError("Choose one resident or one member of staff or partner.")
    try:
        with transaction.atomic():
            member = TaskGroupMember.objects.create(
                priority=priority,
                participant=participant,
                user=user,
                role=role,
                joined_on=joined_on,
            )
    except IntegrityError as exc:
        raise GovernanceError("This person is already in the task-and-finish group.") from exc
    if participant is not None:
        partnership = priority.cycle.partnership
        participation_record(
            participant=participant,
            kind=ParticipationRecord.Kind.ROSTER,
            occurred_at=_midday(joined_on),
            action=member,
            area=partnership.area,
            partnership=partnership,
            priority_cycle=priority.cycle,
        )
    audit_record(
        actor=added_by,
        action="task_group.member_added",
        obj=member,
        fields=["participant" if participant else "user", "role"],
    )
    return member


@transaction.atomic
def priority_projects_set(
    *, priority: Priority, projects: Iterable[Project], changed_by
) -> Priority:
    """Link an adopted priority to the projects that deliver it: projects in the
    partnership's area only."""
    _require_in_force(priority)
    projects = list(projects)
    area = priority.cycle.partnership.area
    local = Area.objects.filter(pk=area.pk).with_descendants()
    outside = [p for p in projects if not p.areas.filter(pk__in=local.values("pk")).exists()]
    if outside:
        raise GovernanceError(f"{outside[0]} is not a project in {area}.")
    priority.projects.set(projects)
    audit_record(
        actor=changed_by, action="priority.projects_linked", obj=priority, fields=["projects"]
    )
    return priority
