"""What a report counts (which summary rows) and whom it compares them with (which
areas' census), for each kind of scope."""

from dataclasses import dataclass

from communities.models import Area

from .models import Report, ScopeKind


@dataclass(frozen=True)
class ResolvedScope:
    kind: int
    # The summary's scope ids the report adds up (an area's own and those beneath it).
    scope_ids: tuple[int, ...]
    # The areas whose residents are the population compared with (none overlapping).
    reference_areas: tuple[Area, ...]
    # A project report leaves its own project out of "other projects".
    own_project_id: int = 0


def scope_key(kind: int, obj=None) -> str:
    if kind == ScopeKind.PROGRAMME:
        return "programme"
    name = {
        ScopeKind.AREA: "area",
        ScopeKind.PROJECT: "project",
        ScopeKind.PARTNERSHIP: "partnership",
        ScopeKind.PRIORITY_CYCLE: "cycle",
        ScopeKind.EVENT_SERIES: "series",
    }[kind]
    return f"{name}:{obj.pk}"


def _without_nested(areas) -> tuple[Area, ...]:
    """Drop any area that lies within another of the list, so no one is counted twice."""
    by_pk = {a.pk: a for a in areas}
    roots = []
    for pk, area in by_pk.items():
        above = set(
            Area.objects.filter(pk=pk).with_ancestors().exclude(pk=pk).values_list("pk", flat=True)
        )
        if not above & by_pk.keys():
            roots.append(area)
    return tuple(sorted(roots, key=lambda a: a.pk))


def reference_areas_for(report: Report) -> tuple[Area, ...]:
    kind = report.scope_kind
    if kind == ScopeKind.PROGRAMME:
        return tuple(Area.objects.filter(parent__isnull=True).order_by("pk"))
    if kind == ScopeKind.AREA:
        return (report.area,)
    if kind == ScopeKind.PROJECT:
        return _without_nested(report.project.areas.all())
    if kind == ScopeKind.PARTNERSHIP:
        return (report.partnership.area,)
    if kind == ScopeKind.PRIORITY_CYCLE:
        return (report.priority_cycle.partnership.area,)
    series = report.event_series
    if series.partnership_id:
        return (series.partnership.area,)
    return _without_nested(Area.objects.filter(events__series=series).distinct())


def resolve(report: Report) -> ResolvedScope:
    kind = report.scope_kind
    if kind == ScopeKind.PROGRAMME:
        ids: tuple[int, ...] = (0,)
    elif kind == ScopeKind.AREA:
        ids = tuple(
            Area.objects.filter(pk=report.area_id)
            .with_descendants()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    else:
        obj = report.scope_object
        ids = (obj.pk,)
    return ResolvedScope(
        kind=kind,
        scope_ids=ids,
        reference_areas=reference_areas_for(report),
        own_project_id=report.project_id or 0,
    )
