"""Every read in the engagement app, scoped to what the person may see."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from communities.models import Area
from coproduction.accounts.selectors import area_list_for_user

from .locations import bounding_box, distance_metres
from .models import (
    AreaTeam,
    Attendance,
    Event,
    IssueCategory,
    IssueReport,
    IssueReportUpdate,
    Participant,
    ReportState,
    StreetChampion,
)

DUPLICATE_RADIUS_METRES = 250


def _scope(user) -> QuerySet[Area]:
    return area_list_for_user(user=user)


# Residents' own records -------------------------------------------------------------


def participant_for_user(*, user) -> Participant | None:
    if not user.is_authenticated:
        return None
    return (
        Participant.objects.select_related("home_ward", "street_champion")
        .filter(user=user, erased_at__isnull=True)
        .first()
    )


def report_list_for_participant(*, participant: Participant) -> QuerySet[IssueReport]:
    return (
        IssueReport.objects.filter(reporter=participant)
        .select_related("category", "state", "ward")
        .order_by("-created_at")
    )


def attendance_list_for_participant(*, participant: Participant) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(participant=participant)
        .select_related("event")
        .order_by("-event__starts_at")
    )


# Street champions -------------------------------------------------------------------


def champion_list_for_user(
    *, user, ward: Area | None = None, status: str = ""
) -> QuerySet[StreetChampion]:
    champions = StreetChampion.objects.filter(ward__in=_scope(user)).select_related(
        "participant", "ward"
    )
    if ward is not None:
        champions = champions.filter(ward__in=Area.objects.filter(pk=ward.pk).with_descendants())
    if status:
        champions = champions.filter(status=status)
    return champions.order_by("ward__name", "participant__full_name", "pk")


def champion_get_for_user(*, user, pk: int) -> StreetChampion:
    return champion_list_for_user(user=user).get(pk=pk)


def champion_list_for_event_invitation(*, event: Event) -> QuerySet[StreetChampion]:
    wards = Area.objects.filter(pk=event.area_id).with_descendants()
    return StreetChampion.objects.filter(status=StreetChampion.Status.ACTIVE, ward__in=wards)


def champion_status_counts(*, user) -> dict[str, int]:
    rows = (
        StreetChampion.objects.filter(ward__in=_scope(user))
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {label: counts.get(code, 0) for code, label in StreetChampion.Status.choices}


# Issue reports ----------------------------------------------------------------------


def _report_base() -> QuerySet[IssueReport]:
    return IssueReport.objects.select_related("category", "state", "ward", "team", "duplicate_of")


@dataclass(frozen=True)
class ReportFilters:
    state: str = ""
    category: str = ""
    area: Area | None = None
    overdue: bool = False
    champion: bool = False
    open_only: bool = False


def report_queue_for_user(*, user, filters: ReportFilters | None = None) -> QuerySet[IssueReport]:
    """The staff queue: champions' reports first, then the oldest."""
    filters = filters or ReportFilters()
    reports = _report_base().filter(ward__in=_scope(user))
    if filters.state:
        reports = reports.filter(state__code=filters.state)
    if filters.open_only:
        reports = reports.filter(state__is_open=True)
    if filters.category:
        reports = reports.filter(category__slug=filters.category)
    if filters.area is not None:
        reports = reports.filter(
            ward__in=Area.objects.filter(pk=filters.area.pk).with_descendants()
        )
    if filters.overdue:
        reports = reports.filter(state__is_open=True, due_at__lt=timezone.now())
    if filters.champion:
        reports = reports.filter(by_champion=True)
    return reports.order_by("-state__is_open", "-priority", "created_at", "pk")


def report_get_for_staff(*, user, pk: int) -> IssueReport:
    return _report_base().filter(ward__in=_scope(user)).get(pk=pk)


def report_public_get(*, pk: int) -> IssueReport:
    """Reports are public (the reporter's name only when they did not ask otherwise)."""
    return (
        _report_base()
        .select_related("reporter")
        .prefetch_related("updates__to_state", "photos")
        .get(pk=pk)
    )


def report_nearby(
    *,
    category: IssueCategory,
    latitude: Decimal | float,
    longitude: Decimal | float,
    radius_metres: float = DUPLICATE_RADIUS_METRES,
    exclude_pk: int | None = None,
) -> list[tuple[IssueReport, int]]:
    """Open reports of the same category within the radius, nearest first, with metres."""
    latitude, longitude = float(latitude), float(longitude)
    candidates = (
        _report_base()
        .filter(
            category=category,
            state__is_open=True,
            duplicate_of__isnull=True,
            **bounding_box(latitude, longitude, radius_metres),
        )
        .exclude(pk=exclude_pk)
        .order_by("-created_at")[:200]
    )
    found = []
    for report in candidates:
        metres = distance_metres(
            (latitude, longitude), (float(report.latitude), float(report.longitude))
        )
        if metres <= radius_metres:
            found.append((report, round(metres)))
    return sorted(found, key=lambda pair: pair[1])


def report_states() -> QuerySet[ReportState]:
    return ReportState.objects.all()


def report_categories(*, active_only: bool = True) -> QuerySet[IssueCategory]:
    categories = IssueCategory.objects.all()
    return categories.filter(is_active=True) if active_only else categories


def team_list_for_user(*, user) -> QuerySet[AreaTeam]:
    return AreaTeam.objects.filter(areas__in=_scope(user)).distinct().order_by("name")


def report_response_times(*, category: IssueCategory, ward: Area | None) -> dict:
    """Typical times for this kind of report in this ward's area over the last year: what
    a reporter is shown beside their own report's times."""
    since = timezone.now() - timedelta(days=365)
    reports = IssueReport.objects.filter(category=category, created_at__gte=since)
    if ward is not None and ward.parent_id:
        reports = reports.filter(ward__parent_id=ward.parent_id)
    figures = reports.aggregate(
        response=Avg("response_seconds"), resolution=Avg("resolution_seconds"), n=Count("pk")
    )
    return {
        "count": figures["n"],
        "response_hours": _hours(figures["response"]),
        "resolution_days": _days(figures["resolution"]),
    }


def _hours(seconds) -> float | None:
    return round(seconds / 3600, 1) if seconds is not None else None


def _days(seconds) -> float | None:
    return round(seconds / 86400, 1) if seconds is not None else None


@dataclass(frozen=True)
class MonthFigures:
    area: str
    month: datetime
    reports: int
    by_champions: int
    fixed: int
    overdue: int
    response_hours: float | None
    resolution_days: float | None


def report_monthly_figures(*, user, months: int = 12) -> list[MonthFigures]:
    """Per area (the ward's parent) and month: counts and average response times, in
    one aggregate query."""
    today = timezone.localdate()
    start = today.replace(day=1)
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    now = timezone.now()
    rows = (
        IssueReport.objects.filter(ward__in=_scope(user), created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("ward__parent__name", "month")
        .annotate(
            reports=Count("pk"),
            by_champions=Count("pk", filter=Q(by_champion=True)),
            fixed=Count("pk", filter=Q(fixed_at__isnull=False)),
            overdue=Count("pk", filter=Q(state__is_open=True, due_at__lt=now)),
            response=Avg("response_seconds"),
            resolution=Avg("resolution_seconds"),
        )
        .order_by("ward__parent__name", "month")
    )
    return [
        MonthFigures(
            area=row["ward__parent__name"] or "",
            month=row["month"],
            reports=row["reports"],
            by_champions=row["by_champions"],
            fixed=row["fixed"],
            overdue=row["overdue"],
            response_hours=_hours(row["response"]),
            resolution_days=_days(row["resolution"]),
        )
        for row in rows
    ]


def report_ward_summary(*, user, since: datetime | None = None) -> QuerySet:
    """Per ward: reports, open, overdue, fixed, and average times (CSV by ward)."""
    now = timezone.now()
    reports = IssueReport.objects.filter(ward__in=_scope(user))
    if since is not None:
        reports = reports.filter(created_at__gte=since)
    return (
        reports.values("ward__name", "ward__gss_code", "ward__parent__name")
        .annotate(
            reports=Count("pk"),
            open=Count("pk", filter=Q(state__is_open=True)),
            overdue=Count("pk", filter=Q(state__is_open=True, due_at__lt=now)),
            fixed=Count("pk", filter=Q(fixed_at__isnull=False)),
            by_champions=Count("pk", filter=Q(by_champion=True)),
            response=Avg("response_seconds"),
            resolution=Avg("resolution_seconds"),
        )
        .order_by("ward__name")
    )


# Events ----------------------------------------------------------------------------


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        registered_count=Count(
            "attendances",
            filter=~Q(attendances__status=Attendance.Status.CANCELLED),
            distinct=True,
        ),
        attended_count=Count(
            "attendances", filter=Q(attendances__status=Attendance.Status.ATTENDED), distinct=True
        ),
    )


def event_list_for_user(*, user, upcoming_only: bool = False) -> QuerySet[Event]:
    events = Event.objects.filter(area__in=_scope(user)).select_related("area", "project")
    if upcoming_only:
        events = events.filter(ends_at__gte=timezone.now())
    return _with_counts(events).order_by("-starts_at", "pk")


def event_get_for_staff(*, user, pk: int) -> Event:
    return _with_counts(
        Event.objects.filter(area__in=_scope(user)).select_related("area", "project")
    ).get(pk=pk)


def attendance_list_for_event(*, event: Event) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(event=event)
        .select_related("participant")
        .order_by("participant__full_name", "pk")
    )


def event_public_list() -> QuerySet[Event]:
    return (
        _with_counts(
            Event.objects.filter(status=Event.Status.SCHEDULED, ends_at__gte=timezone.now())
        )
        .select_related("area")
        .order_by("starts_at", "pk")
    )


def event_public_get(*, pk: int) -> Event:
    return _with_counts(Event.objects.select_related("area")).get(pk=pk)


# People -----------------------------------------------------------------------------


def participant_list_for_user(*, user, query: str = "") -> QuerySet[Participant]:
    people = Participant.objects.filter(
        home_ward__in=_scope(user), erased_at__isnull=True
    ).select_related("home_ward")
    if query:
        people = people.filter(
            Q(full_name__icontains=query)
            | Q(email__icontains=query)
            | Q(postcode__icontains=query)
        )
    champions = StreetChampion.objects.filter(participant=OuterRef("pk"))
    return people.annotate(is_champion=Exists(champions)).order_by("full_name", "pk")


def participant_get_for_staff(*, user, pk: int) -> Participant:
    return (
        Participant.objects.filter(home_ward__in=_scope(user), erased_at__isnull=True)
        .select_related("home_ward", "user")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("event"))
        )
        .get(pk=pk)
    )


# Area aggregates (officers, councillors, board members) -----------------------------


def area_summary(*, user) -> list[dict]:
    """Per ward in scope: participants, champions, reports and attendance, counted in
    one query each; no person is named."""
    wards = list(
        _scope(user).filter(kind=Area.Kind.WARD).select_related("parent").order_by("name")
    )
    ids = [w.pk for w in wards]
    year_ago = timezone.now() - timedelta(days=365)
    now = timezone.now()

    def by_ward(queryset, key, **annotations):
        return {row[key]: row for row in queryset.values(key).annotate(**annotations).order_by()}

    champions = by_ward(
        StreetChampion.objects.filter(ward__in=ids),
        "ward",
        active=Count("pk", filter=Q(status=StreetChampion.Status.ACTIVE)),
        waiting=Count("pk", filter=Q(status=StreetChampion.Status.AWAITING_APPROVAL)),
    )
    reports = by_ward(
        IssueReport.objects.filter(ward__in=ids, created_at__gte=year_ago),
        "ward",
        total=Count("pk"),
        open=Count("pk", filter=Q(state__is_open=True)),
        overdue=Count("pk", filter=Q(state__is_open=True, due_at__lt=now)),
        response=Avg("response_seconds"),
    )
    attendance = by_ward(
        Attendance.objects.filter(
            event__area__in=ids, status=Attendance.Status.ATTENDED, event__starts_at__gte=year_ago
        ),
        "event__area",
        attended=Count("pk"),
        people=Count("participant", distinct=True),
    )
    rows = []
    for ward in wards:
        c, r, a = champions.get(ward.pk, {}), reports.get(ward.pk, {}), attendance.get(ward.pk, {})
        rows.append(
            {
                "ward": ward,
                "champions_active": c.get("active", 0),
                "champions_waiting": c.get("waiting", 0),
                "reports": r.get("total", 0),
                "reports_open": r.get("open", 0),
                "reports_overdue": r.get("overdue", 0),
                "response_hours": _hours(r.get("response")),
                "attendances": a.get("attended", 0),
                "attendees": a.get("people", 0),
            }
        )
    return rows


# What the API's event list does not show of an event's area and organising agency.
EVENT_RELATED_UNSHOWN = (
    "area__type_label",
    "area__parent",
    "area__created_at",
    "area__updated_at",
    "organising_agency__website",
    "organising_agency__created_at",
    "organising_agency__updated_at",
)


def event_list_for_api(*, areas: QuerySet[Area], agency=None) -> QuerySet[Event]:
    """Events for the partner API: those in `areas` (an agency's partnerships' areas and
    everything beneath them, or a person's areas) and those the agency organises. Their
    counts come with `event_counts_attach` once the page is known."""
    condition = Q(area__in=areas.values("pk"))
    if agency is not None:
        condition |= Q(organising_agency=agency)
    # Of the area and the agency, only what the list shows is read.
    return (
        Event.objects.filter(condition)
        .select_related("area", "organising_agency")
        .defer(*EVENT_RELATED_UNSHOWN)
    )


def event_counts_attach(*, events: list[Event]) -> None:
    """Sets `registered_count` (places taken) and `attended_count` on each event, in one
    query for the lot: counted for a page, not for every event the caller may see."""
    by_pk = {event.pk: event for event in events}
    for event in events:
        event.registered_count = event.attended_count = 0
    if not by_pk:
        return
    counts = (
        Attendance.objects.filter(event_id__in=by_pk)
        .order_by()
        .values("event_id")
        .annotate(
            registered=Count("pk", filter=~Q(status=Attendance.Status.CANCELLED)),
            attended=Count("pk", filter=Q(status=Attendance.Status.ATTENDED)),
        )
    )
    for row in counts:
        event = by_pk[row["event_id"]]
        event.registered_count, event.attended_count = row["registered"], row["attended"]


def issue_report_list_for_api(*, areas: QuerySet[Area], agency=None) -> QuerySet[IssueReport]:
    """Issue reports for the partner API, with their public updates; never the reporter.

    An agency's client (`agency`) sees the reports in `areas` routed to a team the agency
    runs; a person signed in to the site sees the reports in their areas.
    """
    reports = IssueReport.objects.filter(ward__in=areas.values("pk"))
    if agency is not None:
        reports = reports.filter(team__partner_agency=agency)
    return reports.select_related("category", "state", "ward", "team").prefetch_related(
        Prefetch(
            "updates",
            queryset=IssueReportUpdate.objects.select_related("from_state", "to_state").order_by(
                "created_at", "pk"
            ),
        )
    )


# Open311 GeoReport v2 ---------------------------------------------------------------

OPEN311_DEFAULT_DAYS = 90
OPEN311_MAX_REQUESTS = 1000


def issue_category_list_for_open311() -> QuerySet[IssueCategory]:
    """The services Open311 offers: the active categories, in the site's order."""
    return IssueCategory.objects.filter(is_active=True).order_by("display_order", "name")


def issue_report_list_for_open311(
    *,
    ids: Sequence[int] = (),
    service_codes: Sequence[str] = (),
    start: datetime | None = None,
    end: datetime | None = None,
    is_open: bool | None = None,
    limit: int = OPEN311_MAX_REQUESTS,
) -> list[IssueReport]:
    """Reports as GeoReport lists them, newest first, at most `limit`: those named by id
    (any date), else those from `start` (default 90 days before `end` or now) to `end`.

    Every report is public on the site; only public fields are sent (the caller's
    serializer), so the reporter is not loaded.
    """
    reports = IssueReport.objects.select_related("category", "state").prefetch_related(
        Prefetch("updates", queryset=IssueReportUpdate.objects.order_by("created_at", "pk"))
    )
    if ids:
        reports = reports.filter(pk__in=ids)
    else:
        if start is None:
            start = (end or timezone.now()) - timedelta(days=OPEN311_DEFAULT_DAYS)
        reports = reports.filter(created_at__gte=start)
        if end is not None:
            reports = reports.filter(created_at__lte=end)
    if service_codes:
        reports = reports.filter(category__slug__in=service_codes)
    if is_open is not None:
        reports = reports.filter(state__is_open=is_open)
    return list(reports.order_by("-created_at", "-pk")[:limit])


def issue_report_get_for_open311(*, pk: int) -> IssueReport:
    return (
        IssueReport.objects.select_related("category", "state")
        .prefetch_related(
            Prefetch("updates", queryset=IssueReportUpdate.objects.order_by("created_at", "pk"))
        )
        .get(pk=pk)
    )
