"""How people's places on project rosters are exported and erased (coproduction.privacy)."""

from coproduction.privacy import DataSubject, personal_data

from .models import RosterEntry


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
