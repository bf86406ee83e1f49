"""How residents' data in the engagement app is exported and erased (coproduction.privacy)."""

from django.utils import timezone

from coproduction.privacy import DataSubject, personal_data

from .models import Attendance, EqualityResponse, Participant, ParticipationRecord

# The profile is anonymised after everything that refers to it.
PARTICIPANT_ERASE_ORDER = 90


def _pseudonym(subject: DataSubject):
    return subject.participant.pseudonym if subject.participant is not None else None


@personal_data.exporter(Participant)
def export_participant(subject: DataSubject) -> list[dict]:
    p = subject.participant
    if p is None:
        return []
    return [
        {
            "full_name": p.full_name,
            "email": p.email,
            "phone": p.phone,
            "postcode": p.postcode,
            "home_ward": p.home_ward.name if p.home_ward else None,
            "participation_level": p.get_participation_level_display(),
            "preferred_channels": p.preferred_channels,
            "accessibility_needs": p.accessibility_needs,
            "reference": p.reference,
            "created_at": p.created_at.isoformat(),
        }
    ]


@personal_data.eraser(Participant, order=PARTICIPANT_ERASE_ORDER)
def erase_participant(subject: DataSubject) -> None:
    p = subject.participant
    if p is None:
        return
    # The row stays so that attendance and participation remain as anonymous counts; the
    # ward alone is kept for those counts.
    p.full_name = ""
    p.email = ""
    p.phone = ""
    p.postcode = ""
    p.reference = None
    p.home_lsoa = None
    p.accessibility_needs = ""
    p.preferred_channels = []
    p.user = None
    p.erased_at = timezone.now()
    p.save()


@personal_data.exporter(EqualityResponse)
def export_equality(subject: DataSubject) -> list[dict]:
    pseudonym = _pseudonym(subject)
    if pseudonym is None:
        return []
    return [
        {
            "recorded_at": r.recorded_at.isoformat(),
            "current": r.superseded_at is None,
            "lawful_basis": r.get_lawful_basis_display(),
            "year_of_birth": r.year_of_birth,
            "age_prefer_not_to_say": r.age_prefer_not_to_say,
            "sex": r.sex,
            "gender_identity": r.gender_identity,
            "sexual_orientation": r.sexual_orientation,
            "ethnic_group": r.ethnic_group,
            "disability": r.disability,
            "religion": r.religion,
        }
        for r in EqualityResponse.objects.filter(pseudonym=pseudonym)
    ]


@personal_data.eraser(EqualityResponse)
def erase_equality(subject: DataSubject) -> None:
    pseudonym = _pseudonym(subject)
    if pseudonym is not None:
        EqualityResponse.objects.filter(pseudonym=pseudonym).delete()


@personal_data.exporter(Attendance)
def export_attendance(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "event": a.event.title,
            "date": a.event.starts_at.date().isoformat(),
            "status": a.get_status_display(),
            "hours": str(a.hours) if a.hours is not None else None,
        }
        for a in Attendance.objects.filter(participant=subject.participant).select_related("event")
    ]


@personal_data.eraser(Attendance)
def erase_attendance(subject: DataSubject) -> None:
    """Attendance stays as an anonymous count: the participant row it points at is
    anonymised by erase_participant, so nothing here identifies the person."""


@personal_data.exporter(ParticipationRecord)
def export_participation(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "what": r.get_kind_display(),
            "when": r.occurred_at.isoformat(),
            "area": r.area.name if r.area else None,
        }
        for r in ParticipationRecord.objects.filter(participant=subject.participant)
        .select_related("area")
        .order_by("occurred_at")
    ]


@personal_data.eraser(ParticipationRecord)
def erase_participation(subject: DataSubject) -> None:
    """Kept as anonymous counts, like attendance (the participant is anonymised)."""
