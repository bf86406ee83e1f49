"""How the governance app's personal data is exported and erased (coproduction.privacy).

Board seats, applications, ballots and task groups refer to residents (participants) and
to staff, councillors and partners (users). Residents' rows stay as anonymous counts once
the participant is anonymised by its own eraser; what identifies them beyond that (a
proposed priority's author, a ballot's link to the person) is cut here.
"""

from coproduction.privacy import DataSubject, personal_data

from .models import (
    Ballot,
    BoardMembership,
    Decision,
    InterestDeclaration,
    LotteryDraw,
    MemberAttendance,
    Priority,
    PriorityReview,
    SeatApplication,
    SeatCall,
    SignOffDelegation,
    TaskGroupMember,
)
from .services.lottery import NOT_KNOWN


def _memberships(subject: DataSubject):
    memberships = BoardMembership.objects.none()
    if subject.participant is not None:
        memberships = memberships | BoardMembership.objects.filter(participant=subject.participant)
    if subject.user is not None:
        memberships = memberships | BoardMembership.objects.filter(user=subject.user)
    return memberships


@personal_data.exporter(BoardMembership)
def export_memberships(subject: DataSubject) -> list[dict]:
    return [
        {
            "board": m.board.name,
            "seat": m.category.get_kind_display(),
            "position": m.get_position_display(),
            "route": m.get_route_display(),
            "term_start": m.term_start.isoformat(),
            "term_end": m.term_end.isoformat() if m.term_end else None,
            "ended_on": m.ended_on.isoformat() if m.ended_on else None,
        }
        for m in _memberships(subject).select_related("board", "category")
    ]


@personal_data.eraser(BoardMembership)
def erase_memberships(subject: DataSubject) -> None:
    """A seat held is a public office and part of the board's decision record: the row
    stays, pointing at the anonymised participant or account."""


@personal_data.exporter(PriorityReview)
def export_reviews(subject: DataSubject) -> list[dict]:
    return [
        {"priority": r.priority.title, "score": r.score, "comment": r.comment}
        for r in PriorityReview.objects.filter(
            membership__in=_memberships(subject)
        ).select_related("priority")
    ]


@personal_data.eraser(PriorityReview)
def erase_reviews(subject: DataSubject) -> None:
    """A resident's comments may describe them: cleared, the score kept."""
    if subject.participant is not None:
        PriorityReview.objects.filter(membership__participant=subject.participant).update(
            comment=""
        )


@personal_data.exporter(InterestDeclaration)
def export_declarations(subject: DataSubject) -> list[dict]:
    return [
        {
            "item": d.item.title,
            "kind": d.get_kind_display(),
            "nature": d.nature,
            "withdrew": d.withdrew,
        }
        for d in InterestDeclaration.objects.filter(
            membership__in=_memberships(subject)
        ).select_related("item")
    ]


@personal_data.eraser(InterestDeclaration)
def erase_declarations(subject: DataSubject) -> None:
    """Declarations are a legal record of the meeting (Localism Act 2011): kept."""


@personal_data.exporter(MemberAttendance)
def export_member_attendance(subject: DataSubject) -> list[dict]:
    return [
        {"meeting": a.meeting.event.title, "status": a.get_status_display()}
        for a in MemberAttendance.objects.filter(
            membership__in=_memberships(subject)
        ).select_related("meeting__event")
    ]


@personal_data.eraser(MemberAttendance)
def erase_member_attendance(subject: DataSubject) -> None:
    """Attendance decides whether a meeting was quorate: kept with the record."""


@personal_data.exporter(SeatApplication)
def export_applications(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "call": a.call.title,
            "statement": a.statement,
            "status": a.get_status_display(),
            "applied_at": a.applied_at.isoformat(),
        }
        for a in SeatApplication.objects.filter(participant=subject.participant).select_related(
            "call"
        )
    ]


@personal_data.eraser(SeatApplication)
def erase_applications(subject: DataSubject) -> None:
    """The statement and household key go; in recorded draws, the person's quota groups
    are replaced by "not known" (a later re-run of such a draw may then differ)."""
    if subject.participant is None:
        return
    applications = list(SeatApplication.objects.filter(participant=subject.participant))
    ids = {a.pk for a in applications}
    SeatApplication.objects.filter(pk__in=ids).update(statement="", household_key="erased")
    for draw in LotteryDraw.objects.filter(call__applications__in=ids).distinct():
        for entry in draw.pool:
            if entry["application"] in ids:
                entry["groups"] = dict.fromkeys(entry["groups"], NOT_KNOWN)
                entry["household"] = f"erased-{entry['application']}"
        draw.save(update_fields=["pool", "updated_at"])


@personal_data.exporter(Priority)
def export_priorities(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {"priority": p.title, "description": p.description, "cycle": p.cycle.title}
        for p in Priority.objects.filter(proposed_by=subject.participant).select_related("cycle")
    ]


@personal_data.eraser(Priority)
def erase_priorities(subject: DataSubject) -> None:
    """The priority belongs to the forum once proposed: only its link to the person goes."""
    if subject.participant is not None:
        Priority.objects.filter(proposed_by=subject.participant).update(proposed_by=None)


@personal_data.exporter(Ballot)
def export_ballots(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "cycle": b.cycle.title,
            "channel": b.get_channel_display(),
            "cast_at": b.cast_at.isoformat(),
            "choices": [
                {"priority": c.priority.title, "rank": c.rank, "points": c.points}
                for c in b.choices.all()
            ],
        }
        for b in Ballot.objects.filter(participant=subject.participant)
        .select_related("cycle")
        .prefetch_related("choices__priority")
    ]


@personal_data.eraser(Ballot)
def erase_ballots(subject: DataSubject) -> None:
    """Votes stay counted, against the anonymised participant."""


@personal_data.exporter(TaskGroupMember)
def export_task_groups(subject: DataSubject) -> list[dict]:
    members = TaskGroupMember.objects.none()
    if subject.participant is not None:
        members = members | TaskGroupMember.objects.filter(participant=subject.participant)
    if subject.user is not None:
        members = members | TaskGroupMember.objects.filter(user=subject.user)
    return [
        {
            "priority": m.priority.title,
            "role": m.get_role_display(),
            "joined_on": m.joined_on.isoformat(),
        }
        for m in members.select_related("priority")
    ]


@personal_data.eraser(TaskGroupMember)
def erase_task_groups(subject: DataSubject) -> None:
    """Kept as anonymous counts: the participant or account is anonymised by its eraser."""


def _work_records(model, field: str):
    @personal_data.exporter(model)
    def export(subject: DataSubject) -> list[dict]:
        if subject.user is None:
            return []
        return [
            {"record": str(row), "at": row.created_at.isoformat()}
            for row in model.objects.filter(**{field: subject.user})
        ]

    @personal_data.eraser(model)
    def erase(subject: DataSubject) -> None:
        """A member of staff's or councillor's official act: kept as a public record."""

    return export, erase


# Records of what staff and councillors did in their roles.
_work_records(SeatCall, "created_by")
_work_records(LotteryDraw, "drawn_by")
_work_records(Decision, "recorded_by")
_work_records(SignOffDelegation, "member")
