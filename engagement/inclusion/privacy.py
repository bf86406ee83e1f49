"""Personal data in the inclusion app (coproduction.privacy).

Reports hold only protected aggregates; what refers to a person is who asked for a report
or set a target (a member of staff), and the summary rows derived from a participant's
ledger (ids, months, counts), exported with their data and kept, like the ledger, as
anonymous counts when the person is erased (their profile is anonymised).
"""

from coproduction.privacy import DataSubject, personal_data

from .models import Report, ScopeActivity, Target


@personal_data.exporter(Report)
def export_reports(subject: DataSubject) -> list[dict]:
    if subject.user is None:
        return []
    return [
        {
            "report": r.pk,
            "about": r.scope_label,
            "period": r.period_label,
            "asked": r.created_at.isoformat(),
        }
        for r in Report.objects.filter(requested_by=subject.user).select_related(
            "area", "project", "partnership", "priority_cycle", "event_series"
        )
    ]


@personal_data.eraser(Report)
def erase_reports(subject: DataSubject) -> None:
    if subject.user is not None:
        # Only who asked is personal; the snapshot itself is an aggregate and stays.
        Report.objects.filter(requested_by=subject.user).update(requested_by=None)


@personal_data.exporter(Target)
def export_targets(subject: DataSubject) -> list[dict]:
    if subject.user is None:
        return []
    return [
        {"target": f"{t.dimension}:{t.category}", "set": t.created_at.isoformat()}
        for t in Target.objects.filter(created_by=subject.user)
    ]


@personal_data.eraser(Target)
def erase_targets(subject: DataSubject) -> None:
    if subject.user is not None:
        Target.objects.filter(created_by=subject.user).update(created_by=None)


@personal_data.exporter(ScopeActivity)
def export_activity(subject: DataSubject) -> list[dict]:
    if subject.participant is None:
        return []
    return [
        {
            "counted_in": row.get_scope_kind_display(),
            "month": row.month.isoformat(),
            "actions": row.actions,
        }
        for row in ScopeActivity.objects.filter(participant=subject.participant).order_by(
            "month", "scope_kind", "scope_id"
        )
    ]


@personal_data.eraser(ScopeActivity)
def erase_activity(subject: DataSubject) -> None:
    """Kept as anonymous counts, like the ledger it is derived from (the participant is
    anonymised by the engagement app's eraser)."""
