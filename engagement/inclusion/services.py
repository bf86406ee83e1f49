"""Every write of the inclusion app: requesting, generating, publishing and scheduling
reports, and officers' target bands. Views, the API, jobs and tasks only call these."""

import calendar
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from communities import census
from communities.models import Area
from coproduction.jobs.services import job_create
from coproduction.versioning import version_check_and_bump
from governance.audit import audit_record

from .activity import activity_refresh
from .counting import build_query, run_query
from .disclosure import INTERNAL, PUBLISHED
from .models import Report, Schedule, ScopeKind, Target
from .population import age_bands, population_for
from .reporting import build_results
from .scopes import resolve, scope_key
from .suggestions import suggestions_for

logger = logging.getLogger(__name__)

JOB_KIND = "inclusion.report"
MAX_MONTHS = 60
EARLIEST_YEAR = 2000


class ReportError(ValueError):
    """A request the rules refuse; the message is fit to show the person."""


# -- Periods ------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_check(*, start: date, end: date) -> tuple[date, date]:
    """Whole months from `start`'s month to `end`'s; refused when back to front, in the
    future or longer than five years."""
    start, end = month_start(start), month_end(end)
    if end < start:
        raise ReportError("The period must end after it starts.")
    if start.year < EARLIEST_YEAR:
        raise ReportError(f"The period must start in {EARLIEST_YEAR} or later.")
    today = timezone.localdate()
    if start > today:
        raise ReportError("The period cannot start in the future.")
    if end > month_end(today):
        raise ReportError("The period cannot end after this month.")
    if months_between(start, end) > MAX_MONTHS:
        raise ReportError(f"A report covers at most {MAX_MONTHS} months.")
    return start, end


def period_end_moment(end: date) -> datetime:
    """The first moment after the period (UK time): answers in force then are used."""
    return timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))


# -- Requesting --------------------------------------------------------------------------

SCOPE_FIELD = {
    ScopeKind.AREA: "area",
    ScopeKind.PROJECT: "project",
    ScopeKind.PARTNERSHIP: "partnership",
    ScopeKind.PRIORITY_CYCLE: "priority_cycle",
    ScopeKind.EVENT_SERIES: "event_series",
}


@dataclass(frozen=True)
class ReportScope:
    kind: int
    obj: object = None

    @property
    def key(self) -> str:
        return scope_key(self.kind, self.obj)

    def fields(self) -> dict:
        if self.kind == ScopeKind.PROGRAMME:
            return {}
        return {SCOPE_FIELD[self.kind]: self.obj}


@transaction.atomic
def report_request(
    *,
    scope: ReportScope,
    start: date,
    end: date,
    requested_by,
    via: str = Report.Via.BROWSER,
    minimum_age: int = 16,
    agency=None,
) -> Report:
    """Save a report and hand it to the worker (through the jobs outbox: with the broker
    down it waits, shown as queued, and goes when the broker is back)."""
    if scope.kind != ScopeKind.PROGRAMME and scope.obj is None:
        raise ReportError("Choose what the report is about.")
    if not 0 <= minimum_age <= 100:
        raise ReportError("The youngest age counted must be between 0 and 100.")
    start, end = period_check(start=start, end=end)
    report = Report.objects.create(
        scope_kind=scope.kind,
        scope_key=scope.key,
        period_start=start,
        period_end=end,
        minimum_age=minimum_age,
        via=via,
        requested_by=requested_by if getattr(requested_by, "is_authenticated", False) else None,
        requested_by_agency=agency,
        **scope.fields(),
    )
    _enqueue(report)
    return report


def _enqueue(report: Report) -> None:
    job = job_create(
        kind=JOB_KIND,
        created_by=report.requested_by,
        params={"report_id": report.pk},
    )
    Report.objects.filter(pk=report.pk).update(job=job)
    report.job = job


@transaction.atomic
def report_retry(*, report: Report, actor) -> Report:
    """Run a report whose job failed again (a new job for the same report)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_done:
        return report
    if report.job is not None and not report.job.is_finished:
        return report
    _enqueue(report)
    return report


@transaction.atomic
def report_publish(*, report: Report, actor, public: bool) -> Report:
    """Show (or stop showing) a finished report's published figures to the public."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not report.is_done:
        raise ReportError("Only a finished report can be published.")
    if report.is_public != public:
        Report.objects.filter(pk=report.pk).update(is_public=public, updated_at=timezone.now())
        report.is_public = public
        audit_record(
            actor=actor,
            action="inclusion.report.publish" if public else "inclusion.report.unpublish",
            obj=report,
        )
    return report


# -- Generating --------------------------------------------------------------------------


def _header(report: Report, scope, population) -> dict:
    return {
        "report": report.pk,
        "scope": {
            "kind": ScopeKind(report.scope_kind).name.lower(),
            "key": report.scope_key,
            "label": report.scope_label,
            "reference_areas": [
                {"name": a.name, "code": a.gss_code, "kind": a.kind} for a in scope.reference_areas
            ],
        },
        "period": {
            "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat(),
            "counted_to": report.counted_to.isoformat() if report.counted_to else None,
            "label": report.period_label,
        },
        "minimum_age": report.minimum_age,
        "age_bands": [
            {"code": b.code, "label": b.label, "low": b.low, "high": min(b.high, 150)}
            for b in population.bands
        ],
        "census_tables": sorted(population.tables.values(), key=lambda t: t["table"]),
        "imd_edition": population.geography.edition,
    }


def _targets_for(report: Report, scope) -> dict[tuple[str, str], tuple[float, float]]:
    """The bands that apply: the programme's, overridden by those of the nearest area at
    or above every one of the report's reference areas (a project in two wards of an
    area takes the area's bands)."""
    found: dict[tuple[str, str], tuple[float, float]] = {}
    order = _areas_above_all(scope.reference_areas)
    by_area: dict[int | None, list[Target]] = {}
    for target in Target.objects.filter(Q(area__isnull=True) | Q(area_id__in=order)):
        by_area.setdefault(target.area_id, []).append(target)
    for pk in [None, *order]:  # the programme, then outermost first: the nearest wins
        for target in by_area.get(pk, []):
            found[(target.dimension, target.category)] = (
                float(target.minimum_percent),
                float(target.maximum_percent),
            )
    return found


def _areas_above_all(areas: tuple[Area, ...]) -> list[int]:
    """The areas at or above every one of these, outermost first."""
    if not areas:
        return []
    tree = dict(
        Area.objects.filter(pk__in=[area.pk for area in areas])
        .with_ancestors()
        .values_list("pk", "parent_id")
    )

    def chain(pk: int | None) -> list[int]:
        found = []
        while pk is not None:
            found.append(pk)
            pk = tree.get(pk)
        return found[::-1]

    chains = [chain(area.pk) for area in areas]
    common = set(chains[0]).intersection(*chains[1:])
    return [pk for pk in chains[0] if pk in common]


def report_previous(*, report: Report) -> Report | None:
    """The latest finished report on the same scope that ends before this one does, with
    the same youngest age counted: another age universe changes the census side of every
    figure, and a period ending with this one (a shorter or longer stretch up to the same
    month) says nothing about change."""
    return (
        Report.objects.finished()
        .filter(
            scope_key=report.scope_key,
            period_end__lt=report.period_end,
            minimum_age=report.minimum_age,
        )
        # made once its period was over: a month counted in part is no base for change
        .filter(period_end__lt=F("generated_at__date"))
        .exclude(pk=report.pk)
        .filter(generated_at__lte=timezone.now())
        .order_by("-period_end", "-generated_at")
        .first()
    )


def _ladder(report: Report, scope) -> dict:
    from .ladder import ladder_for

    return ladder_for(report=report, scope=scope)


def report_generate(*, report_id: int, progress=None) -> Report:
    """Compute and store a report's snapshot, once.

    Runs inside the job's transaction: the summary refresh, the snapshot and the report's
    row commit together or not at all. A report already generated is left as it is.
    """
    progress = progress or (lambda *args, **kwargs: None)
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("area", "project", "partnership", "priority_cycle", "event_series")
            .get(pk=report_id)
        )
        if report.is_done:
            return report
        progress(0, 5, "Bringing the participation summary up to date")
        activity_refresh()
        progress(1, 5, "Counting participants")
        # One moment for the snapshot: what it says it counted up to and when it was made.
        report.generated_at = timezone.now()
        scope = resolve(report)
        query = build_query(
            kind=scope.kind,
            scope_ids=scope.scope_ids,
            start=report.period_start,
            end=month_start(report.period_end),
            answers_at=period_end_moment(report.period_end),
            reference_year=report.period_end.year,
            minimum_age=report.minimum_age,
            own_project_id=scope.own_project_id,
        )
        aggregates = run_query(query)
        progress(2, 5, "Reading the census and deprivation figures")
        population = population_for(areas=scope.reference_areas, minimum_age=report.minimum_age)
        progress(3, 5, "Working out the figures")
        targets = _targets_for(report, scope)
        suggestions = suggestions_for(areas=scope.reference_areas, minimum_age=report.minimum_age)
        header = _header(report, scope, population)
        ladder = _ladder(report, scope)
        previous = report_previous(report=report)
        meta = (
            {
                "previous_report": previous.pk,
                "previous_period": previous.period_label,
                "previous_generated_at": previous.generated_at.isoformat(),
            }
            if previous
            else None
        )
        results = build_results(
            mode=INTERNAL,
            aggregates=aggregates,
            population=population,
            targets=targets,
            header=header,
            ladder=ladder,
            suggestions=suggestions,
            previous=previous.results if previous else None,
            previous_meta=meta,
        )
        published = build_results(
            mode=PUBLISHED,
            aggregates=aggregates,
            population=population,
            targets=targets,
            header=header,
            ladder=ladder,
            suggestions=suggestions,
            previous=previous.published if previous else None,
            previous_meta=meta,
        )
        progress(4, 5, "Saving the report")
        report.inputs = {
            "census_tables": header["census_tables"],
            "imd_edition": population.geography.edition,
            "reference_areas": header["scope"]["reference_areas"],
            "minimum_age": report.minimum_age,
            "answers_as_at": period_end_moment(report.period_end).isoformat(),
            "targets": [
                {"dimension": d, "category": c, "minimum": low, "maximum": high}
                for (d, c), (low, high) in sorted(targets.items())
            ],
        }
        report.results = results
        report.published = published
        report.previous = previous
        report.save()
        progress(5, 5, "Done")
    return report


# -- Schedules ---------------------------------------------------------------------------


def schedule_ensure() -> int:
    """A monthly schedule for every area (council, area, ward) and every active project;
    returns how many were added. Closed projects' schedules are switched off."""
    from projects.models import Project

    added = 0
    for area in Area.objects.exclude(kind=Area.Kind.LSOA).only("pk"):
        _schedule, created = Schedule.objects.get_or_create(
            scope_key=scope_key(ScopeKind.AREA, area),
            defaults={"scope_kind": ScopeKind.AREA, "area": area},
        )
        added += created
    ended = (Project.Stage.CLOSED, Project.Stage.STOPPED)
    for project in Project.objects.only("pk", "stage"):
        active = project.stage not in ended
        schedule, created = Schedule.objects.get_or_create(
            scope_key=scope_key(ScopeKind.PROJECT, project),
            defaults={"scope_kind": ScopeKind.PROJECT, "project": project, "is_active": active},
        )
        added += created
        if not created and schedule.is_active != active:
            Schedule.objects.filter(pk=schedule.pk).update(is_active=active)
    return added


def schedule_run(*, today: date | None = None) -> list[Report]:
    """Request this month's scheduled reports (each covering its months up to the month
    just gone). Running twice in a month requests nothing more."""
    today = today or timezone.localdate()
    end = month_end(add_months(month_start(today), -1))
    made = []
    for schedule in Schedule.objects.filter(is_active=True).select_related(
        "area", "project", "partnership"
    ):
        start = add_months(month_start(end), 1 - schedule.months)
        obj = schedule.area or schedule.project or schedule.partnership
        scope = ReportScope(schedule.scope_kind, obj)
        exists = Report.objects.filter(
            scope_key=schedule.scope_key,
            period_start=start,
            period_end=end,
            via=Report.Via.SCHEDULE,
        ).exists()
        if exists:
            continue
        try:
            with transaction.atomic():
                made.append(
                    report_request(
                        scope=scope,
                        start=start,
                        end=end,
                        requested_by=None,
                        via=Report.Via.SCHEDULE,
                    )
                )
        except IntegrityError:
            # Another beat got there first: the unique constraint keeps one.
            continue
    return made


# -- Targets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetData:
    dimension: str
    category: str
    minimum_percent: Decimal
    maximum_percent: Decimal
    area: Area | None = None
    note: str = ""


def _target_check(data: TargetData, *, exclude_pk: int | None = None, minimum_age: int = 16):
    if data.dimension == "age":
        codes = {band.code for band in age_bands(minimum_age)}
        if data.category not in codes:
            raise ReportError("Choose one of the report's age bands.")
    else:
        try:
            dim = census.dimension(data.dimension)
        except KeyError:
            raise ReportError("Choose a question from the list.") from None
        if not dim.has(data.category) or data.category == census.NOT_ANSWERED:
            raise ReportError("Choose a group from the list.")
    if not (0 <= data.minimum_percent <= data.maximum_percent <= 100):
        raise ReportError("The minimum must be between 0 and the maximum, at most 100.")
    # Feasibility (as for sortition quotas): the minimums of one question's groups cannot
    # add up to more than everyone.
    others = Target.objects.filter(area=data.area, dimension=data.dimension)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    others = others.exclude(category=data.category)
    minimums = sum(t.minimum_percent for t in others) + data.minimum_percent
    if minimums > 100:
        raise ReportError(
            "The minimums for this question would add up to more than 100%: lower one."
        )


@transaction.atomic
def target_create(*, data: TargetData, actor) -> Target:
    _target_check(data)
    if Target.objects.filter(
        area=data.area, dimension=data.dimension, category=data.category
    ).exists():
        raise ReportError("There is already a target for this group here: change that one.")
    target = Target.objects.create(
        area=data.area,
        dimension=data.dimension,
        category=data.category,
        minimum_percent=data.minimum_percent,
        maximum_percent=data.maximum_percent,
        note=data.note,
        created_by=actor,
    )
    audit_record(actor=actor, action="inclusion.target.create", obj=target)
    return target


@transaction.atomic
def target_update(*, target: Target, data: TargetData, actor, version: int) -> Target:
    target = Target.objects.select_for_update().get(pk=target.pk)
    _target_check(data, exclude_pk=target.pk)
    version_check_and_bump(instance=target, expected_version=version)
    target.minimum_percent = data.minimum_percent
    target.maximum_percent = data.maximum_percent
    target.note = data.note
    target.save(update_fields=["minimum_percent", "maximum_percent", "note", "updated_at"])
    audit_record(
        actor=actor,
        action="inclusion.target.update",
        obj=target,
        fields=["minimum_percent", "maximum_percent", "note"],
    )
    return target


@transaction.atomic
def target_delete(*, target: Target, actor) -> None:
    audit_record(actor=actor, action="inclusion.target.delete", obj=target)
    target.delete()
