"""The ladder and mix section: the projects a report covers by the rung of Arnstein's
ladder they reached (and aimed at), collective or individual, by stage, and the level of
participation residents hold on their rosters (informed to leading)."""

from collections import Counter

from django.db.models import Count, Q

from communities.models import Area
from engagement.models import ParticipationLevel
from projects.models import LADDER_GROUPS, LadderRung, Project, RosterEntry

from .models import Report, ScopeKind


def projects_in_scope(*, report: Report, scope):
    if report.scope_kind == ScopeKind.PROJECT:
        return Project.objects.filter(pk=report.project_id)
    if report.scope_kind == ScopeKind.PROGRAMME:
        return Project.objects.all()
    areas = Area.objects.filter(pk__in=[a.pk for a in scope.reference_areas]).with_descendants()
    # Each project once however many of the areas it covers (not DISTINCT, which would
    # also merge the rows of projects with the same values once columns are picked).
    return Project.objects.filter(pk__in=Project.objects.filter(areas__in=areas).values("pk"))


def ladder_for(*, report: Report, scope) -> dict:
    projects = projects_in_scope(report=report, scope=scope)
    columns = ("stage", "ladder_actual", "ladder_target", "mode")
    found = list(projects.order_by().values_list(*columns))
    stages, actual, target, modes = Counter(), Counter(), Counter(), Counter()
    for stage, reached, aimed, mode in found:
        stages[stage] += 1
        actual[reached] += 1
        target[aimed] += 1
        modes[mode] += 1
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
        "projects": len(found),
        "by_rung": [
            {
                "rung": rung,
                "label": str(label),
                "group": str(LADDER_GROUPS[rung]),
                "actual": actual[rung],
                "target": target[rung],
            }
            for rung, label in LadderRung.choices
        ],
        "rung_not_assessed": actual[None],
        "by_mode": [
            {"code": code, "label": str(label), "projects": modes.get(code, 0)}
            for code, label in Project.Mode.choices
        ],
        "by_stage": [
            {"code": code, "label": str(label), "projects": stages.get(code, 0)}
            for code, label in Project.Stage.choices
        ],
        "roster_levels": [
            {"code": code, "label": str(label), "people": levels.get(code, 0)}
            for code, label in ParticipationLevel.choices
        ],
    }
