"""Forums and board meetings: agenda, attendance, declarations of interest, decisions and
minutes."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from engagement.models import Attendance, Event, Participant
from engagement.services import attendance_record

from ..audit import audit_record
from ..models import (
    AgendaItem,
    BoardMembership,
    Decision,
    DecisionVote,
    InterestDeclaration,
    Meeting,
    MemberAttendance,
    Partnership,
    Priority,
    PriorityCycle,
    SeatCategory,
)
from .errors import GovernanceError, InterestedMemberError, QuorumNotMetError

EVENT_KIND = {Meeting.Kind.FORUM: Event.Kind.FORUM, Meeting.Kind.BOARD: Event.Kind.BOARD_MEETING}


def _refuse_once_published(meeting: Meeting) -> None:
    """The published minutes show the meeting's agenda, attendance, declarations and
    decisions as they stand, so none of them changes once the minutes are published."""
    if meeting.minutes_published_at is not None:
        raise GovernanceError(
            "The minutes of this meeting are published, so its record can no longer be changed."
        )


def _refuse_before_the_day(meeting: Meeting, doing: str = "record who came") -> None:
    """Who came, and the minutes, are known only once the meeting is held, and recording
    either marks it held."""
    event = meeting.event
    if event.is_before_its_day:
        raise GovernanceError(
            f"This meeting is on {event.day:%-d %B %Y}: {doing} on the day or after."
        )


@transaction.atomic
def meeting_create(
    *,
    partnership: Partnership,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    created_by,
    description: str = "",
    priority_cycle: PriorityCycle | None = None,
) -> Meeting:
    """A forum or board meeting, with the engagement event that holds its date, place and
    public attendance."""
    if ends_at < starts_at:
        raise GovernanceError("The meeting cannot end before it starts.")
    if kind == Meeting.Kind.BOARD and not hasattr(partnership, "board"):
        raise GovernanceError(f"{partnership} has no board yet.")
    if priority_cycle is not None and priority_cycle.partnership_id != partnership.pk:
        raise GovernanceError("That priority cycle belongs to another partnership.")
    event = Event.objects.create(
        title=title,
        kind=EVENT_KIND[kind],
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        area=partnership.area,
        partnership=partnership,
        created_by=created_by,
    )
    meeting = Meeting.objects.create(partnership=partnership, kind=kind, event=event)
    if priority_cycle is not None and kind == Meeting.Kind.FORUM:
        priority_cycle.forum = meeting
        priority_cycle.save(update_fields=["forum", "updated_at"])
    audit_record(actor=created_by, action="meeting.created", obj=meeting)
    return meeting


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    title: str,
    added_by,
    description: str = "",
    paper: UploadedFile | None = None,
    paper_title: str = "",
    is_public: bool = True,
) -> AgendaItem:
    _refuse_once_published(Meeting.objects.select_for_update().get(pk=meeting.pk))
    number = (meeting.items.aggregate(top=Max("number"))["top"] or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        number=number,
        title=title,
        description=description,
        paper_title=paper_title or (title if paper else ""),
        is_public=is_public,
    )
    if paper is not None:
        item.paper = paper
    item.save()
    audit_record(actor=added_by, action="agenda_item.added", obj=item)
    return item


def _current_members(meeting: Meeting):
    return BoardMembership.objects.filter(
        board__partnership=meeting.partnership_id, status=BoardMembership.Status.CURRENT
    )


@transaction.atomic
def member_attendance_set(
    *, meeting: Meeting, statuses: Mapping[int, str], recorded_by
) -> list[MemberAttendance]:
    """Record which board members were present, sent apologies or were absent, by
    membership id. A community member's attendance also enters the participation ledger
    (through meeting_attendance_record)."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_once_published(locked)
    _refuse_before_the_day(locked)
    members = {m.pk: m for m in _current_members(meeting).select_related("participant")}
    unknown = set(statuses) - set(members)
    if unknown:
        raise GovernanceError("Only the board's current members can be recorded.")
    rows = []
    for membership_id, status in statuses.items():
        if status not in MemberAttendance.Status.values:
            raise GovernanceError(f"Unknown attendance: {status}")
        row, _created = MemberAttendance.objects.update_or_create(
            meeting=meeting, membership_id=membership_id, defaults={"status": status}
        )
        rows.append(row)
        membership = members[membership_id]
        if membership.participant_id:
            meeting_attendance_record(
                meeting=meeting,
                participant=membership.participant,
                attended=status == MemberAttendance.Status.PRESENT,
                recorded_by=recorded_by,
            )
    if meeting.status == Meeting.Status.SCHEDULED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=recorded_by,
        action="meeting.member_attendance_recorded",
        obj=meeting,
        object_ids=[row.pk for row in rows],
        fields=["status"],
    )
    return rows


@transaction.atomic
def meeting_attendance_record(
    *, meeting: Meeting, participant: Participant, attended: bool, recorded_by
) -> Attendance:
    """Whether a resident attended a forum or board meeting: recorded by the engagement
    app's attendance service (the Attendance row, its participation ledger entry and the
    audit trail together)."""
    _refuse_before_the_day(meeting)
    attendance = attendance_record(
        event=meeting.event, participant=participant, attended=attended, actor=recorded_by
    )
    if meeting.status == Meeting.Status.SCHEDULED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
    return attendance


@transaction.atomic
def interest_declare(
    *,
    item: AgendaItem,
    membership: BoardMembership,
    kind: str,
    nature: str,
    withdrew: bool,
    declared_by,
) -> InterestDeclaration:
    """A member's declaration of interest in an item, made before any vote on it."""
    _refuse_once_published(Meeting.objects.select_for_update().get(pk=item.meeting_id))
    if membership.board.partnership_id != item.meeting.partnership_id:
        raise GovernanceError("Only a member of this board can declare an interest here.")
    if membership.status != BoardMembership.Status.CURRENT:
        raise GovernanceError("This person no longer sits on the board.")
    if DecisionVote.objects.filter(decision__item=item, membership=membership).exists():
        raise GovernanceError(
            "This member has already voted on this item: interests are declared before the vote."
        )
    try:
        with transaction.atomic():
            declaration = InterestDeclaration.objects.create(
                item=item, membership=membership, kind=kind, nature=nature, withdrew=withdrew
            )
    except IntegrityError as exc:
        raise GovernanceError(
            "This member has already declared an interest in this item."
        ) from exc
    audit_record(
        actor=declared_by,
        action="interest.declared",
        obj=declaration,
        fields=["kind", "nature", "withdrew"],
    )
    return declaration


@dataclass(frozen=True)
class CategoryQuorum:
    label: str
    present: int
    required: int

    @property
    def met(self) -> bool:
        return self.present >= self.required


@dataclass(frozen=True)
class Quorum:
    present: int
    required: int
    categories: tuple[CategoryQuorum, ...] = field(default_factory=tuple)

    @property
    def met(self) -> bool:
        return self.present >= self.required and all(c.met for c in self.categories)

    @property
    def shortfalls(self) -> list[str]:
        problems = []
        if self.present < self.required:
            problems.append(f"{self.present} of the {self.required} members needed are present")
        problems += [
            f"{c.present} of the {c.required} {c.label.lower()}s needed are present"
            for c in self.categories
            if not c.met
        ]
        return problems


def sat_on_the_day(meeting: Meeting, prefix: str = "") -> Q:
    """Members who sat on the board on the meeting's day: a member who has left since
    still counts for that meeting's quorum and votes."""
    return Q(**{f"{prefix}status": BoardMembership.Status.CURRENT}) | Q(
        **{f"{prefix}ended_on__gte": meeting.event.day}
    )


def meeting_quorum(*, meeting: Meeting) -> Quorum:
    """Whether enough members who sat on the meeting's day, in total and of each
    category, are present."""
    board = meeting.partnership.board
    present = Q(
        sat_on_the_day(meeting, "memberships__"),
        memberships__attendance__meeting=meeting,
        memberships__attendance__status=MemberAttendance.Status.PRESENT,
    )
    categories = board.categories.annotate(
        present=Count("memberships", filter=present, distinct=True)
    ).order_by("kind")
    rows = tuple(
        CategoryQuorum(label=SeatCategory.Kind(c.kind).label, present=c.present, required=c.quorum)
        for c in categories
    )
    return Quorum(present=sum(r.present for r in rows), required=board.quorum, categories=rows)


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    motion: str,
    proposer: BoardMembership,
    seconder: BoardMembership,
    votes: Mapping[BoardMembership, str],
    recorded_by,
    priority: Priority | None = None,
    effect: str = Decision.Effect.NONE,
) -> Decision:
    """Record a board decision with each member's vote.

    Refused when the meeting is not quorate, when the proposer or seconder is not a
    present member, and when a member who declared an interest in the item votes.
    """
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if meeting.kind != Meeting.Kind.BOARD:
        raise GovernanceError("Decisions are recorded at board meetings.")
    _refuse_once_published(meeting)
    quorum = meeting_quorum(meeting=meeting)
    if not quorum.met:
        raise QuorumNotMetError(
            "The meeting is not quorate, so no decision can be recorded: "
            + "; ".join(quorum.shortfalls)
            + "."
        )
    present_ids = set(
        MemberAttendance.objects.filter(
            sat_on_the_day(item.meeting, "membership__"),
            meeting=meeting,
            status=MemberAttendance.Status.PRESENT,
        ).values_list("membership_id", flat=True)
    )
    interested = set(item.declarations.values_list("membership_id", flat=True))
    if proposer.pk == seconder.pk:
        raise GovernanceError("The seconder must be someone other than the proposer.")
    for role, member in (("proposer", proposer), ("seconder", seconder)):
        if member.pk not in present_ids:
            raise GovernanceError(f"The {role} must be a board member present at the meeting.")
        if member.pk in interested:
            raise InterestedMemberError(
                f"{member.person_name} declared an interest in this item and cannot be its {role}."
            )
    if not votes:
        raise GovernanceError("Record how the members present voted.")
    for member, vote in votes.items():
        if member.pk not in present_ids:
            raise GovernanceError(f"{member.person_name} was not recorded as present.")
        if member.pk in interested:
            raise InterestedMemberError(
                f"{member.person_name} declared an interest in this item and cannot vote on it."
            )
        if vote not in DecisionVote.Vote.values:
            raise GovernanceError(f"Unknown vote: {vote}")
    if effect and priority is None:
        raise GovernanceError("Choose the priority this decision is about.")
    if priority is not None:
        cycle = priority.cycle
        if cycle.partnership_id != meeting.partnership_id:
            raise GovernanceError("That priority belongs to another partnership.")
        if effect and cycle.status != PriorityCycle.Status.BOARD_REVIEW:
            raise GovernanceError("Priorities are decided while the board reviews the cycle.")
        if effect and priority.status != Priority.Status.PROPOSED:
            raise GovernanceError(f"“{priority}” has already been decided.")
    tally = dict.fromkeys(DecisionVote.Vote.values, 0)
    for vote in votes.values():
        tally[vote] += 1
    outcome = (
        Decision.Outcome.CARRIED
        if tally[DecisionVote.Vote.FOR] > tally[DecisionVote.Vote.AGAINST]
        else Decision.Outcome.LOST
    )
    decision = Decision.objects.create(
        item=item,
        motion=motion,
        proposer=proposer,
        seconder=seconder,
        votes_for=tally[DecisionVote.Vote.FOR],
        votes_against=tally[DecisionVote.Vote.AGAINST],
        abstentions=tally[DecisionVote.Vote.ABSTAIN],
        outcome=outcome,
        priority=priority,
        effect=effect,
        recorded_by=recorded_by,
    )
    DecisionVote.objects.bulk_create(
        DecisionVote(decision=decision, membership=member, vote=vote)
        for member, vote in votes.items()
    )
    audit_record(
        actor=recorded_by,
        action="decision.recorded",
        obj=decision,
        fields=["motion", "proposer", "seconder", "votes", "outcome"],
    )
    if priority is not None and effect and outcome == Decision.Outcome.CARRIED:
        from .priorities import priority_decide

        priority_decide(
            priority=priority,
            adopt=effect == Decision.Effect.ADOPT,
            decision=decision,
            decided_by=recorded_by,
        )
    return decision


@transaction.atomic
def minutes_save(*, meeting: Meeting, minutes: str, saved_by) -> Meeting:
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.minutes_published_at is not None:
        raise GovernanceError("These minutes are published and can no longer be changed.")
    locked.minutes = minutes
    locked.save(update_fields=["minutes", "updated_at"])
    audit_record(actor=saved_by, action="minutes.saved", obj=locked, fields=["minutes"])
    return locked


@transaction.atomic
def minutes_publish(*, meeting: Meeting, published_by) -> Meeting:
    """Publish the minutes: read by anyone, without the names of members of the public."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.minutes_published_at is not None:
        return locked
    if not locked.minutes.strip():
        raise GovernanceError("Write the minutes before publishing them.")
    if locked.status == Meeting.Status.CANCELLED:
        raise GovernanceError("A cancelled meeting has no minutes to publish.")
    # Publishing marks the meeting held and closes its record for good: a meeting still to
    # come would be left with no attendance or decisions ever recorded.
    _refuse_before_the_day(locked, "publish its minutes")
    locked.minutes_published_at = timezone.now()
    locked.status = Meeting.Status.HELD
    locked.save(update_fields=["minutes_published_at", "status", "updated_at"])
    audit_record(actor=published_by, action="minutes.published", obj=locked)
    return locked
