"""Reads for the inclusion pages and API: every report and target scoped to the person."""

from django.db.models import Q, QuerySet

from communities.models import Area
from coproduction.accounts.roles import Role
from coproduction.accounts.selectors import area_list_for_user
from engagement.models import EventSeries
from governance.models import Partnership, PriorityCycle
from projects.models import Project

from .models import Report, ScopeKind, Target


def _base() -> QuerySet[Report]:
    return Report.objects.select_related(
        "area",
        "project",
        "partnership",
        "priority_cycle__partnership",
        "event_series",
        "job",
        "requested_by",
        "requested_by_agency",
    )


def _covers_programme(user, areas: QuerySet[Area]) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or areas.filter(kind=Area.Kind.COUNCIL).exists()


def user_covers_programme(*, user) -> bool:
    """Whether a person's areas take in the whole council (administrators always)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return _covers_programme(user, area_list_for_user(user=user))


def report_list_for_user(*, user) -> QuerySet[Report]:
    """The reports a person may open: about their areas or anything in them, their
    partnerships (partner agencies: their agency's), or the whole programme for people
    who cover the whole council."""
    if not user.is_authenticated or not user.is_active:
        return Report.objects.none()
    if user.has_role(Role.ADMINISTRATOR):
        return _base()
    areas = area_list_for_user(user=user)
    condition = (
        Q(scope_kind=ScopeKind.AREA, area__in=areas)
        | Q(scope_kind=ScopeKind.PROJECT, project__areas__in=areas)
        | Q(scope_kind=ScopeKind.PARTNERSHIP, partnership__area__in=areas)
        | Q(scope_kind=ScopeKind.PRIORITY_CYCLE, priority_cycle__partnership__area__in=areas)
        | Q(scope_kind=ScopeKind.EVENT_SERIES, event_series__partnership__area__in=areas)
        | Q(scope_kind=ScopeKind.EVENT_SERIES, event_series__events__area__in=areas)
    )
    if areas.filter(kind=Area.Kind.COUNCIL).exists():
        condition |= Q(scope_kind=ScopeKind.PROGRAMME)
    if user.partner_agency_id and user.has_role(Role.PARTNER_AGENCY):
        agency = user.partner_agency_id
        condition |= Q(scope_kind=ScopeKind.PARTNERSHIP, partnership__agencies=agency)
        condition |= Q(
            scope_kind=ScopeKind.PRIORITY_CYCLE, priority_cycle__partnership__agencies=agency
        )
    reports = _base().filter(pk__in=Report.objects.filter(condition).values("pk"))
    if user.has_role(Role.PARTNER_AGENCY) and not (
        user.has_role(Role.OFFICER)
        or user.has_role(Role.ELECTED_MEMBER)
        or user.has_role(Role.BOARD_MEMBER)
    ):
        # Partners see finished reports only (their published figures).
        reports = reports.filter(generated_at__isnull=False)
    return reports


def report_get_for_user(*, user, pk: int) -> Report:
    return report_list_for_user(user=user).get(pk=pk)


def report_public_list() -> QuerySet[Report]:
    return _base().filter(is_public=True, generated_at__isnull=False)


def report_public_get(*, pk: int) -> Report:
    return report_public_list().get(pk=pk)


def scope_choices_for_user(*, user) -> list[tuple[str, list[tuple[str, str]]]]:
    """The scopes a person may request a report on, grouped for a select's optgroups,
    as ("kind:id", label) pairs."""
    if user.has_role(Role.ADMINISTRATOR):
        areas = Area.objects.all()
    else:
        areas = area_list_for_user(user=user)
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    if _covers_programme(user, areas):
        groups.append(("Programme", [("programme", "Whole programme")]))
    area_rows = list(
        areas.exclude(kind=Area.Kind.LSOA)
        .select_related("parent")
        .order_by("kind", "name")
        .values_list("pk", "name", "kind", "type_label")
    )
    kind_order = {Area.Kind.COUNCIL: 0, Area.Kind.AREA: 1, Area.Kind.WARD: 2}
    area_rows.sort(key=lambda row: (kind_order.get(row[2], 9), row[1]))
    labels = dict(Area.Kind.choices)
    groups.append(
        (
            "Areas and wards",
            [
                (f"area:{pk}", f"{name} ({type_label or labels.get(kind, kind)})")
                for pk, name, kind, type_label in area_rows
            ],
        )
    )
    projects = Project.objects.filter(areas__in=areas).distinct().order_by("reference")
    groups.append(
        ("Projects", [(f"project:{p.pk}", f"{p.reference} {p.title}") for p in projects])
    )
    partnerships = Partnership.objects.filter(area__in=areas).order_by("name")
    groups.append(("Partnerships", [(f"partnership:{p.pk}", p.name) for p in partnerships]))
    cycles = (
        PriorityCycle.objects.filter(partnership__area__in=areas)
        .select_related("partnership")
        .order_by("-period_start")
    )
    groups.append(("Priority cycles", [(f"cycle:{c.pk}", str(c)) for c in cycles]))
    series = (
        EventSeries.objects.filter(Q(partnership__area__in=areas) | Q(events__area__in=areas))
        .distinct()
        .order_by("name")
    )
    groups.append(("Event series", [(f"series:{s.pk}", s.name) for s in series]))
    return [(label, options) for label, options in groups if options]


SCOPE_MODELS = {
    "area": (ScopeKind.AREA, Area),
    "project": (ScopeKind.PROJECT, Project),
    "partnership": (ScopeKind.PARTNERSHIP, Partnership),
    "cycle": (ScopeKind.PRIORITY_CYCLE, PriorityCycle),
    "series": (ScopeKind.EVENT_SERIES, EventSeries),
}


def scope_from_choice(*, user, value: str):
    """(kind, object) for a "kind:id" value the person may choose, else None."""
    allowed = {v for _label, options in scope_choices_for_user(user=user) for v, _ in options}
    if value not in allowed:
        return None
    if value == "programme":
        return (ScopeKind.PROGRAMME, None)
    name, _, pk = value.partition(":")
    kind, model = SCOPE_MODELS[name]
    return (kind, model.objects.get(pk=int(pk)))


def target_list_for_user(*, user) -> QuerySet[Target]:
    """Programme-wide targets and those for the person's areas."""
    targets = Target.objects.select_related("area")
    if user.has_role(Role.ADMINISTRATOR):
        return targets.order_by("area__name", "dimension", "category")
    areas = area_list_for_user(user=user)
    return targets.filter(Q(area__isnull=True) | Q(area__in=areas)).order_by(
        "area__name", "dimension", "category"
    )


def target_get_for_user(*, user, pk: int) -> Target:
    return target_list_for_user(user=user).get(pk=pk)


def target_areas_for_user(*, user) -> QuerySet[Area]:
    areas = (
        Area.objects.all() if user.has_role(Role.ADMINISTRATOR) else area_list_for_user(user=user)
    )
    return areas.exclude(kind=Area.Kind.LSOA).order_by("kind", "name")


def report_list_for_agency(*, agency) -> QuerySet[Report]:
    """What a partner agency's API client may open: finished reports about the
    partnerships the agency belongs to and their priority cycles, and those it asked for
    (published figures only: the view gives nothing else)."""
    condition = (
        Q(scope_kind=ScopeKind.PARTNERSHIP, partnership__agencies=agency)
        | Q(scope_kind=ScopeKind.PRIORITY_CYCLE, priority_cycle__partnership__agencies=agency)
        | Q(requested_by_agency=agency)
    )
    return _base().filter(pk__in=Report.objects.filter(condition).values("pk"))
