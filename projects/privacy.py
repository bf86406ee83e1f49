"""How people's places on project rosters are exported and erased (coproduction.privacy)."""

from coproduction.privacy import DataSubject, personal_data

from .models import CommissioningAssessment, ProjectDocument, RosterEntry, StageTransition


@personal_data.exporter(RosterEntry)
def export_roster(subject: DataSubject) -> list[dict]:
    entries = RosterEntry.objects.none()
    if subject.participant is not None:
        entries = entries | RosterEntry.objects.filter(participant=subject.participant)
    if subject.user is not None:
        entries = entries | RosterEntry.objects.filter(user=subject.user)
    return [
        {
            "project": entry.project.title,
            "role": entry.get_role_display(),
            "participation_level": entry.get_participation_level_display(),
            "started_on": entry.started_on.isoformat(),
            "ended_on": entry.ended_on.isoformat() if entry.ended_on else None,
            "hours": str(entry.hours),
        }
        for entry in entries.select_related("project")
    ]


@personal_data.eraser(RosterEntry)
def erase_roster(subject: DataSubject) -> None:
    """Roster places stay as anonymous counts: the participant or account they point at is
    anonymised by its own eraser."""


# Work records: what a member of staff did on a project. Exported on request; kept on
# erasure, because they are the council's record of its decisions, and the account they
# point at is anonymised by its own eraser.


@personal_data.exporter(StageTransition)
def export_stage_changes(subject: DataSubject) -> list[dict]:
    if subject.user is None:
        return []
    return [
        {
            "project": t.project.title,
            "from_stage": t.get_from_stage_display(),
            "to_stage": t.get_to_stage_display(),
            "note": t.note,
            "when": t.occurred_at.isoformat(),
        }
        for t in StageTransition.objects.filter(actor=subject.user).select_related("project")
    ]


@personal_data.eraser(StageTransition)
def erase_stage_changes(subject: DataSubject) -> None:
    """Kept: the record of who moved a project on, and on whose authority."""


@personal_data.exporter(ProjectDocument)
def export_documents(subject: DataSubject) -> list[dict]:
    if subject.user is None:
        return []
    return [
        {
            "project": d.project.title,
            "title": d.title,
            "kind": d.get_kind_display(),
            "recorded_at": d.created_at.isoformat(),
        }
        for d in ProjectDocument.objects.filter(recorded_by=subject.user).select_related("project")
    ]


@personal_data.eraser(ProjectDocument)
def erase_documents(subject: DataSubject) -> None:
    """Kept: evidence the council relied on; only the recorder's account is anonymised."""


@personal_data.exporter(CommissioningAssessment)
def export_assessments(subject: DataSubject) -> list[dict]:
    if subject.user is None:
        return []
    return [
        {
            "project": a.project.title,
            "provider": a.provider_name,
            "assessed_on": a.assessed_on.isoformat(),
            "decision": a.get_decision_display(),
        }
        for a in CommissioningAssessment.objects.filter(assessed_by=subject.user).select_related(
            "project"
        )
    ]


@personal_data.eraser(CommissioningAssessment)
def erase_assessments(subject: DataSubject) -> None:
    """Kept: a commissioning decision and who made it."""
