"""How residents' data in the engagement app is exported and erased (coproduction.privacy)."""

from django.utils import timezone

from coproduction.privacy import DataSubject, personal_data

from .models import (
    Attendance,
    EqualityResponse,
    IssueReport,
    IssueReportUpdate,
    Participant,
    ParticipationRecord,
    StreetChampion,
)

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
            "address_line_1": p.address_line_1,
            "address_line_2": p.address_line_2,
            "address_town": p.address_town,
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
    p.address_line_1 = ""
    p.address_line_2 = ""
    p.address_town = ""
    p.postcode = ""
    p.reference = None
    p.home_lsoa = None
    p.accessibility_needs = ""
    p.preferred_channels = []
    p.user = None
    p.email_confirmed_at = None
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


@personal_data.exporter(StreetChampion)
def export_champion(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "status": c.get_status_display(),
            "ward": c.ward.name if c.ward else None,
            "patch": c.patch,
            "activities": c.activity_labels(),
            "wants_newsletter": c.wants_newsletter,
            "signed_up_at": c.signed_up_at.isoformat(),
            "confirmed_at": c.confirmed_at.isoformat() if c.confirmed_at else None,
            "inducted_on": c.inducted_on.isoformat() if c.inducted_on else None,
            "kit_issued": c.kit_issued,
        }
        for c in StreetChampion.objects.filter(participant=subject.participant).select_related(
            "ward"
        )
    ]


@personal_data.eraser(StreetChampion)
def erase_champion(subject: DataSubject) -> None:
    """The champion's record goes entirely; their activity stays in the ledger as an
    anonymous count (the participant is anonymised)."""
    if subject.participant is not None:
        StreetChampion.objects.filter(participant=subject.participant).delete()


@personal_data.exporter(IssueReport)
def export_reports(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "reference": r.reference,
            "category": r.category.name,
            "status": r.state.label,
            "description": r.description,
            "where": r.where,
            "reported_at": r.created_at.isoformat(),
            "shown_without_name": r.anonymous,
            "photos": r.photos.count(),
        }
        for r in IssueReport.objects.filter(reporter=subject.participant).select_related(
            "category", "state"
        )
    ]


@personal_data.eraser(IssueReport)
def erase_reports(subject: DataSubject) -> None:
    """A report of a street problem stays (the area team's work depends on it) with no
    name shown and the reporter anonymised; its photos, which may show people or homes,
    are deleted with their files."""
    if subject.participant is None:
        return
    reports = IssueReport.objects.filter(reporter=subject.participant)
    for report in reports.prefetch_related("photos"):
        for photo in report.photos.all():
            photo.image.delete(save=False)
            photo.delete()
    reports.update(anonymous=True)


@personal_data.exporter(IssueReportUpdate)
def export_report_updates(subject: DataSubject) -> list[dict]:
    """Updates a member of staff wrote on reports: their work record."""
    if subject.user is None:
        return []
    return [
        {"report": u.report.reference, "status": u.to_state.label, "at": u.created_at.isoformat()}
        for u in IssueReportUpdate.objects.filter(actor=subject.user).select_related(
            "report", "to_state"
        )
    ]


@personal_data.eraser(IssueReportUpdate)
def erase_report_updates(subject: DataSubject) -> None:
    """A work record kept for the reporter's history; the account it names is anonymised
    by its own eraser."""


def export_rows_for_csv(data: dict[str, list[dict]]):
    """Everything held about a person as (record, item, field, value) rows for a CSV."""
    for label, records in data.items():
        for number, record in enumerate(records, start=1):
            for name, value in record.items():
                if isinstance(value, list | tuple):
                    value = "; ".join(str(v) for v in value)
                yield (label, number, name, value)


# Volunteering registers its own models (imported here so that autodiscovery finds them).
from .volunteering import privacy as _volunteering_privacy  # noqa: E402, F401
