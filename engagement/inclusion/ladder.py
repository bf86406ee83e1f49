"""The ladder and mix section: the projects a report covers, by stage, and the level of
participation residents hold on their rosters (informed to leading)."""

from django.db.models import Count, Q

from communities.models import Area
from engagement.models import ParticipationLevel
from projects.models import Project, RosterEntry

from .models import Report, ScopeKind


def projects_in_scope(*, report: Report, scope):
    if report.scope_kind == ScopeKind.PROJECT:
        return Project.objects.filter(pk=report.project_id)
    if report.scope_kind == ScopeKind.PROGRAMME:
        return Project.objects.all()
    areas = Area.objects.filter(pk__in=[a.pk for a in scope.reference_areas]).with_descendants()
    return Project.objects.filter(areas__in=areas).distinct()


def ladder_for(*, report: Report, scope) -> dict:
    projects = projects_in_scope(report=report, scope=scope)
    stages = dict(
        projects.order_by()
        .values("stage")
        .annotate(n=Count("pk", distinct=True))
        .values_list("stage", "n")
    )
    levels = dict(
        RosterEntry.objects.filter(
            project__in=projects.values("pk"),
            participant__isnull=False,
            started_on__lte=report.period_end,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=report.period_start))
        .order_by()
        .values("participation_level")
        .annotate(n=Count("participant", distinct=True))
        .values_list("participation_level", "n")
    )
    return {
        "projects": sum(stages.values()),
        "by_stage": [
            {"code": code, "label": str(label), "projects": stages.get(code, 0)}
            for code, label in Project.Stage.choices
        ],
        "roster_levels": [
            {"code": code, "label": str(label), "people": levels.get(code, 0)}
            for code, label in ParticipationLevel.choices
        ],
    }
