"""How volunteers' data is exported and erased (coproduction.privacy).

A volunteer's own records (age, induction, emergency contact, training, disclaimer
signatures, photos of their work) go with them. Records the council must keep, or that
count as anonymous figures, stay with the person's profile anonymised: places on rosters
and their hours, loans of kits (what qualified the holder is copied onto the loan), the
activity reports themselves, and incidents (health and safety records kept by law; see
Incident). Staff members' work (assessments written or approved, loans made, training
recorded) is exported as their work record and kept.
"""

from django.db.models import Q

from coproduction.privacy import DataSubject, personal_data
from engagement.models import (
    ActivityReport,
    ActivityRosterEntry,
    DisclaimerSignature,
    Incident,
    RiskAssessment,
    ToolkitLoan,
    TrainingRecord,
    Volunteer,
    VolunteerActivity,
)


def _iso(value):
    return value.isoformat() if value else None


@personal_data.exporter(Volunteer)
def export_volunteer(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "date_of_birth": _iso(v.date_of_birth),
            "year_of_birth": v.year_of_birth,
            "confirmed_18_or_over": v.confirmed_adult,
            "age_held_because": v.get_age_basis_display() if v.age_basis else None,
            "inducted_on": _iso(v.inducted_on),
            "volunteer_involvement_pack": v.pack_acknowledged,
            "emergency_procedures": v.emergency_procedures_covered,
            "boundaries_of_the_role": v.role_boundaries_covered,
            "emergency_contact_name": v.emergency_contact_name,
            "emergency_contact_phone": v.emergency_contact_phone,
        }
        for v in Volunteer.objects.filter(participant=subject.participant)
    ]


@personal_data.eraser(Volunteer)
def erase_volunteer(subject: DataSubject) -> None:
    if subject.participant is not None:
        Volunteer.objects.filter(participant=subject.participant).delete()


@personal_data.exporter(TrainingRecord)
def export_training(subject: DataSubject) -> list[dict]:
    condition = Q(pk__in=[])
    if subject.participant is not None:
        condition |= Q(participant=subject.participant)
    if subject.user is not None:
        condition |= Q(recorded_by=subject.user)
    return [
        {
            "training": r.course.name,
            "completed_on": _iso(r.completed_on),
            "lapses_on": _iso(r.expires_on),
            "given_by": r.trainer,
            "yours": subject.participant is not None
            and r.participant_id == subject.participant.pk,
        }
        for r in TrainingRecord.objects.filter(condition).select_related("course")
    ]


@personal_data.eraser(TrainingRecord)
def erase_training(subject: DataSubject) -> None:
    """The person's own training goes; training a member of staff recorded stays (their
    name on it is anonymised with their account)."""
    if subject.participant is not None:
        TrainingRecord.objects.filter(participant=subject.participant).delete()


@personal_data.exporter(DisclaimerSignature)
def export_signatures(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "disclaimer_version": s.disclaimer.version,
            "signed_on": _iso(s.signed_on),
            "signed_as": s.signed_name,
            "how": s.get_method_display(),
        }
        for s in DisclaimerSignature.objects.filter(
            participant=subject.participant
        ).select_related("disclaimer")
    ]


@personal_data.eraser(DisclaimerSignature)
def erase_signatures(subject: DataSubject) -> None:
    """The signatures go; each loan keeps the version signed and the day (not the name)."""
    if subject.participant is not None:
        DisclaimerSignature.objects.filter(participant=subject.participant).delete()


@personal_data.exporter(ActivityRosterEntry)
def export_roster(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "activity": e.activity.title,
            "date": _iso(e.activity.starts_at),
            "role": e.get_role_display(),
            "status": e.get_status_display(),
            "hours": str(e.hours) if e.hours is not None else None,
        }
        for e in ActivityRosterEntry.objects.filter(
            participant=subject.participant
        ).select_related("activity")
    ]


@personal_data.eraser(ActivityRosterEntry)
def erase_roster(subject: DataSubject) -> None:
    """Kept as anonymous counts and hours: the participant is anonymised."""


@personal_data.exporter(VolunteerActivity)
def export_activities(subject: DataSubject) -> list[dict]:
    condition = Q(pk__in=[])
    if subject.participant is not None:
        condition |= Q(lead=subject.participant)
    if subject.user is not None:
        condition |= Q(created_by=subject.user)
    return [
        {"activity": a.title, "date": _iso(a.starts_at), "site": a.site}
        for a in VolunteerActivity.objects.filter(condition)
    ]


@personal_data.eraser(VolunteerActivity)
def erase_activities(subject: DataSubject) -> None:
    """An activity stays: its lead is the anonymised participant."""


@personal_data.exporter(ToolkitLoan)
def export_loans(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "kit": loan.toolkit.code,
            "group": loan.group_name,
            "lent_on": _iso(loan.lent_on),
            "due_on": _iso(loan.due_on),
            "returned_on": _iso(loan.returned_on),
            "disclaimer_version": loan.disclaimer.version,
            "disclaimer_signed_on": _iso(loan.disclaimer_signed_on),
        }
        for loan in ToolkitLoan.objects.filter(holder=subject.participant).select_related(
            "toolkit", "disclaimer"
        )
    ]


@personal_data.eraser(ToolkitLoan)
def erase_loans(subject: DataSubject) -> None:
    """Loans stay as the record of where the council's kit went; the holder is the
    anonymised participant."""


@personal_data.exporter(ActivityReport)
def export_activity_reports(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "reference": r.reference,
            "task": r.task.name,
            "date": _iso(r.done_on),
            "place": r.place,
            "bags": r.bags_collected,
            "notes": r.notes,
            "photos": r.photos.count(),
        }
        for r in ActivityReport.objects.filter(reporter=subject.participant).select_related("task")
    ]


@personal_data.eraser(ActivityReport)
def erase_activity_reports(subject: DataSubject) -> None:
    """The reports stay (where problems recur); their photos, which may show people, go
    with their files."""
    if subject.participant is None:
        return
    for report in ActivityReport.objects.filter(reporter=subject.participant).prefetch_related(
        "photos"
    ):
        for photo in report.photos.all():
            photo.image.delete(save=False)
            photo.delete()


@personal_data.exporter(Incident)
def export_incidents(subject: DataSubject) -> list[dict]:
    condition = Q(pk__in=[])
    if subject.participant is not None:
        condition |= Q(reporter=subject.participant)
    if subject.user is not None:
        condition |= Q(reported_by=subject.user) | Q(closed_by=subject.user)
    return [
        {
            "reference": i.reference,
            "kind": i.get_kind_display(),
            "when": _iso(i.occurred_at),
            "description": i.description,
            "injuries": i.injury_details,
        }
        for i in Incident.objects.filter(condition)
    ]


@personal_data.eraser(Incident)
def erase_incidents(subject: DataSubject) -> None:
    """Incidents are health and safety records the council keeps by law (accident records
    for at least three years): they stay, with the reporter anonymised."""


@personal_data.exporter(RiskAssessment)
def export_assessments(subject: DataSubject) -> list[dict]:
    if subject.user is None:
        return []
    user = subject.user
    return [
        {
            "reference": a.reference,
            "task": a.task.name,
            "wrote_it": a.author_id == user.pk,
            "approved_it": a.approved_by_id == user.pk,
            "status": a.get_status_display(),
        }
        for a in RiskAssessment.objects.filter(
            Q(author=user) | Q(approved_by=user) | Q(owner=user)
        ).select_related("task")
    ]


@personal_data.eraser(RiskAssessment)
def erase_assessments(subject: DataSubject) -> None:
    """A risk assessment is the council's record of a safety decision, kept; the accounts
    it names are anonymised by their own eraser."""
