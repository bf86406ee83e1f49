"""Every read about volunteers' safety, scoped to what the person may see."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.utils import timezone

from communities.models import Area
from coproduction.accounts.selectors import area_list_for_user
from engagement.models import (
    ActivityReport,
    ActivityRosterEntry,
    Disclaimer,
    DisclaimerSignature,
    Incident,
    Participant,
    RiskAssessment,
    StreetChampion,
    Toolkit,
    ToolkitLoan,
    TrainingCourse,
    TrainingRecord,
    Volunteer,
    VolunteerActivity,
    VolunteerTask,
)

from .services import NOTICE_DAYS

DASHBOARD_ROWS = 25
RECURRING_DAYS = 90
RECURRING_REPORTS = 3


def _scope(user) -> QuerySet[Area]:
    return area_list_for_user(user=user)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# Who is a group lead --------------------------------------------------------------------


def participant_is_group_lead(*, user) -> bool:
    """Holds a kit, or leads an activity that is not cancelled."""
    return (
        Participant.objects.filter(user=user, erased_at__isnull=True)
        .filter(
            Exists(ToolkitLoan.objects.open().filter(holder=OuterRef("pk")))
            | Exists(
                ActivityRosterEntry.objects.filter(
                    participant=OuterRef("pk"), role=ActivityRosterEntry.Role.LEAD
                ).exclude(activity__status=VolunteerActivity.Status.CANCELLED)
            )
        )
        .exists()
    )


# Tasks and training ---------------------------------------------------------------------


def task_list(*, include_inactive: bool = False) -> QuerySet[VolunteerTask]:
    tasks = VolunteerTask.objects.select_related("report_category").prefetch_related(
        "required_training"
    )
    return tasks if include_inactive else tasks.filter(is_active=True)


def task_get(*, pk: int) -> VolunteerTask:
    return task_list(include_inactive=True).get(pk=pk)


def training_courses(*, active_only: bool = True) -> QuerySet[TrainingCourse]:
    courses = TrainingCourse.objects.all()
    return courses.filter(is_active=True) if active_only else courses


# Volunteers -----------------------------------------------------------------------------


def _current_training_count(today: date):
    return Subquery(
        TrainingRecord.objects.filter(participant=OuterRef("pk"))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values("participant")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def _volunteers(user) -> QuerySet[Participant]:
    """People in the person's areas who volunteer (a volunteer record) or are street
    champions who have not ended."""
    return Participant.objects.filter(home_ward__in=_scope(user), erased_at__isnull=True).filter(
        Exists(Volunteer.objects.filter(participant=OuterRef("pk")))
        | Exists(
            StreetChampion.objects.filter(participant=OuterRef("pk")).exclude(
                status=StreetChampion.Status.ENDED
            )
        )
    )


def volunteer_list_for_user(*, user, query: str = "", induction: str = "") -> QuerySet:
    """Volunteers and champions in the person's areas, with their induction and how many
    trainings are current."""
    today = timezone.localdate()
    people = (
        _volunteers(user)
        .select_related("home_ward", "volunteer", "street_champion")
        .annotate(current_training=_current_training_count(today))
    )
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    complete = Q(
        volunteer__inducted_on__isnull=False,
        volunteer__pack_acknowledged=True,
        volunteer__emergency_procedures_covered=True,
        volunteer__role_boundaries_covered=True,
    )
    if induction == "done":
        people = people.filter(complete)
    elif induction == "not_done":
        people = people.exclude(complete)
    return people.order_by("full_name", "pk")


def volunteer_candidates_for_activity(*, user, activity: VolunteerActivity) -> QuerySet:
    """Whom an officer may roster: volunteers and champions in their areas not on it."""
    on_it = ActivityRosterEntry.objects.filter(
        activity=activity, participant=OuterRef("pk")
    ).exclude(status=ActivityRosterEntry.Status.WITHDRAWN)
    return (
        _volunteers(user)
        .exclude(Exists(on_it))
        .select_related("home_ward")
        .order_by("full_name", "pk")
    )


def volunteer_profile_for_staff(*, user, pk: int) -> Participant:
    """A person's volunteering: their record, training, signatures, loans and roster."""
    return (
        Participant.objects.filter(home_ward__in=_scope(user), erased_at__isnull=True)
        .select_related("home_ward", "volunteer__inducted_by", "street_champion")
        .prefetch_related(
            Prefetch(
                "training_records",
                queryset=TrainingRecord.objects.select_related("course", "recorded_by").order_by(
                    "course__name", "-completed_on"
                ),
            ),
            Prefetch(
                "disclaimer_signatures",
                queryset=DisclaimerSignature.objects.select_related("disclaimer"),
            ),
            Prefetch(
                "toolkit_loans",
                queryset=ToolkitLoan.objects.select_related("toolkit").order_by("-lent_on"),
            ),
            Prefetch(
                "activity_roster",
                queryset=ActivityRosterEntry.objects.select_related(
                    "activity__task", "activity__area"
                ).order_by("-activity__starts_at"),
            ),
        )
        .get(pk=pk)
    )


# Risk assessments ---------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentFilters:
    status: str = ""
    task: VolunteerTask | None = None
    due: bool = False


def _assessment_base() -> QuerySet[RiskAssessment]:
    return RiskAssessment.objects.select_related(
        "task", "area", "author", "approved_by", "event"
    ).with_residual_score()


def assessment_list_for_user(
    *, user, filters: AssessmentFilters | None = None
) -> QuerySet[RiskAssessment]:
    """Staff: the assessments that apply in their areas (including council-wide ones);
    anyone else: the ones they wrote."""
    filters = filters or AssessmentFilters()
    if user.has_perm("engagement.manage_volunteering"):
        assessments = _assessment_base().filter(area__in=_scope(user).with_ancestors())
    else:
        assessments = _assessment_base().filter(author=user)
    if filters.status:
        assessments = assessments.filter(status=filters.status)
    if filters.task is not None:
        assessments = assessments.filter(task=filters.task)
    if filters.due:
        horizon = timezone.localdate() + timedelta(days=NOTICE_DAYS)
        assessments = assessments.filter(
            status=RiskAssessment.Status.APPROVED, review_on__lte=horizon
        )
    return assessments.order_by("task__name", "area__name", "-revision", "-pk")


def assessment_get_for_user(*, user, pk: int) -> RiskAssessment:
    return (
        assessment_list_for_user(user=user)
        .select_related("owner", "previous", "reopened_by_incident", "task__report_category")
        .prefetch_related("hazards", "task__required_training")
        .get(pk=pk)
    )


def assessment_chain(*, assessment: RiskAssessment) -> list[RiskAssessment]:
    """Every revision of this assessment, newest first (the version chain)."""
    chain = [assessment]
    earlier = assessment
    while earlier.previous_id is not None:
        earlier = RiskAssessment.objects.select_related("approved_by").get(pk=earlier.previous_id)
        chain.append(earlier)
    later = assessment
    while True:
        following = (
            RiskAssessment.objects.select_related("approved_by").filter(previous=later).first()
        )
        if following is None:
            break
        chain.insert(0, following)
        later = following
    return chain


# Activities -----------------------------------------------------------------------------


def _cover_exists(on_field: str = "starts_at"):
    """An approved assessment of the activity's task, for its area or one above (or its
    event), in date on the activity's day: the gate's test, as one subquery."""
    area_match = (
        Q(area=OuterRef("area"))
        | Q(area=OuterRef("area__parent"))
        | Q(area=OuterRef("area__parent__parent"))
        | Q(area=OuterRef("area__parent__parent__parent"))
    )
    return Exists(
        RiskAssessment.objects.filter(
            area_match,
            Q(event__isnull=True) | Q(event=OuterRef("event")),
            task=OuterRef("task"),
            status=RiskAssessment.Status.APPROVED,
            review_on__gte=OuterRef(f"{on_field}__date"),
        )
    )


def activity_list_for_user(*, user, upcoming_only: bool = False) -> QuerySet[VolunteerActivity]:
    activities = (
        VolunteerActivity.objects.filter(area__in=_scope(user))
        .select_related("task", "area", "lead")
        .annotate(
            rostered=Count(
                "roster",
                filter=~Q(roster__status=ActivityRosterEntry.Status.WITHDRAWN),
                distinct=True,
            ),
            hours_given=Sum("roster__hours"),
            covered=_cover_exists(),
        )
    )
    if upcoming_only:
        activities = activities.filter(ends_at__gte=timezone.now())
    return activities.order_by("-starts_at", "pk")


def activity_get_for_staff(*, user, pk: int) -> VolunteerActivity:
    return (
        VolunteerActivity.objects.filter(area__in=_scope(user))
        .select_related("task", "area", "lead", "project", "event", "toolkit", "created_by")
        .prefetch_related("task__required_training")
        .get(pk=pk)
    )


def activity_roster(*, activity: VolunteerActivity) -> QuerySet[ActivityRosterEntry]:
    return (
        ActivityRosterEntry.objects.filter(activity=activity)
        .select_related("participant")
        .order_by("role", "participant__full_name", "pk")
    )


def activity_for_incident(*, user, pk: int) -> VolunteerActivity:
    """An activity someone may report an incident on: staff in its area, or a person
    rostered on it."""
    activities = VolunteerActivity.objects.select_related("task", "area", "event")
    if user.has_perm("engagement.manage_volunteering"):
        activities = activities.filter(area__in=_scope(user))
    else:
        activities = activities.filter(roster__participant__user=user).exclude(
            roster__status=ActivityRosterEntry.Status.WITHDRAWN
        )
    return activities.distinct().get(pk=pk)


# Toolkits -------------------------------------------------------------------------------


def _open_loans() -> QuerySet[ToolkitLoan]:
    return ToolkitLoan.objects.open().select_related("holder")


def toolkit_list_for_user(*, user, status: str = "") -> QuerySet[Toolkit]:
    today = timezone.localdate()
    toolkits = (
        Toolkit.objects.filter(home_area__in=_scope(user))
        .select_related("home_area", "required_training")
        .annotate(
            item_count=Count("items", distinct=True),
            needs_attention=Count(
                "items", filter=Q(items__condition__in=["damaged", "missing"]), distinct=True
            ),
            on_loan=Exists(ToolkitLoan.objects.open().filter(toolkit=OuterRef("pk"))),
            overdue=Exists(
                ToolkitLoan.objects.overdue(today=today).filter(toolkit=OuterRef("pk"))
            ),
        )
        .prefetch_related(Prefetch("loans", queryset=_open_loans(), to_attr="open_loans"))
    )
    if status == "available":
        toolkits = toolkits.filter(in_service=True, on_loan=False)
    elif status == "on_loan":
        toolkits = toolkits.filter(on_loan=True)
    elif status == "overdue":
        toolkits = toolkits.filter(overdue=True)
    elif status == "out_of_service":
        toolkits = toolkits.filter(in_service=False)
    return toolkits.order_by("code")


def toolkit_get_for_user(*, user, pk: int) -> Toolkit:
    return (
        Toolkit.objects.filter(home_area__in=_scope(user))
        .select_related("home_area", "required_training")
        .prefetch_related(
            "items",
            Prefetch(
                "loans",
                queryset=ToolkitLoan.objects.select_related(
                    "holder", "lent_by", "received_by", "disclaimer"
                ).order_by("-lent_on", "-pk"),
            ),
        )
        .get(pk=pk)
    )


def loan_get_for_user(*, user, pk: int) -> ToolkitLoan:
    return ToolkitLoan.objects.select_related(
        "toolkit__home_area", "holder", "disclaimer", "training_course"
    ).get(pk=pk, toolkit__home_area__in=_scope(user))


def activity_lead_candidates(*, user) -> QuerySet[Participant]:
    """Who may lead a volunteering activity: the volunteers in the person's areas."""
    return _volunteers(user).select_related("home_ward").order_by("full_name", "pk")


def loan_holder_candidates(
    *, user, toolkit: Toolkit, disclaimer: Disclaimer | None, on: date
) -> QuerySet[Participant]:
    """Whom a kit may be lent to, each with whether they hold the kit's training on the
    day (`trained`) and have signed the disclaimer in force (`signed`), so the list can say
    who is not ready. The service checks both again, with the reasons."""
    training = TrainingRecord.objects.filter(
        participant=OuterRef("pk"), course_id=toolkit.required_training_id, completed_on__lte=on
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
    signatures = DisclaimerSignature.objects.filter(
        participant=OuterRef("pk"), disclaimer=disclaimer, signed_on__lte=on
    )
    return activity_lead_candidates(user=user).annotate(
        trained=Exists(training), signed=Exists(signatures) if disclaimer else Value(False)
    )


# Activity reports -------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    task: VolunteerTask | None = None
    ward: Area | None = None


def activity_report_list_for_user(
    *, user, filters: ReportFilters | None = None
) -> QuerySet[ActivityReport]:
    filters = filters or ReportFilters()
    reports = (
        ActivityReport.objects.filter(ward__in=_scope(user))
        .select_related("task", "ward", "reporter", "loan__toolkit")
        .annotate(photo_count=Count("photos"))
    )
    if filters.task is not None:
        reports = reports.filter(task=filters.task)
    if filters.ward is not None:
        reports = reports.filter(ward=filters.ward)
    return reports.order_by("-done_on", "-pk")


def activity_report_get_for_staff(*, user, pk: int) -> ActivityReport:
    return (
        ActivityReport.objects.filter(ward__in=_scope(user))
        .select_related("task", "ward", "reporter", "loan__toolkit", "activity")
        .prefetch_related("photos")
        .get(pk=pk)
    )


def activity_report_for_photo(*, user, pk: int) -> ActivityReport:
    """A report whose photos this person may see: staff for its ward, or its reporter."""
    reports = ActivityReport.objects.prefetch_related("photos")
    if user.has_perm("engagement.manage_volunteering"):
        return reports.get(pk=pk, ward__in=_scope(user))
    return reports.get(pk=pk, reporter__user=user)


def recurring_problems(
    *, user, days: int = RECURRING_DAYS, at_least: int = RECURRING_REPORTS
) -> list[dict]:
    """Where the same job keeps being done: per ward and task over the last `days`, the
    reports, bags and last date, where there were at least `at_least` reports. One
    aggregate query."""
    since = timezone.localdate() - timedelta(days=days)
    return list(
        ActivityReport.objects.filter(ward__in=_scope(user), done_on__gte=since)
        .values("ward__name", "task__name")
        .annotate(reports=Count("pk"), bags=Sum("bags_collected"), last=Max("done_on"))
        .filter(reports__gte=at_least)
        .order_by("-reports", "ward__name", "task__name")
    )


def activity_report_totals_by_ward(*, user, days: int = 365) -> list[dict]:
    """Per ward over the last year: reports, bags and volunteers (for the chart)."""
    since = timezone.localdate() - timedelta(days=days)
    return list(
        ActivityReport.objects.filter(ward__in=_scope(user), done_on__gte=since)
        .values("ward__name")
        .annotate(reports=Count("pk"), bags=Sum("bags_collected"), volunteers=Sum("volunteers"))
        .order_by("-reports", "ward__name")
    )


# Incidents ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IncidentFilters:
    status: str = ""
    task: VolunteerTask | None = None
    kind: str = ""


def incident_list_for_user(*, user, filters: IncidentFilters | None = None) -> QuerySet[Incident]:
    filters = filters or IncidentFilters()
    incidents = Incident.objects.filter(activity__area__in=_scope(user)).select_related(
        "activity__task", "activity__area"
    )
    if filters.status:
        incidents = incidents.filter(status=filters.status)
    if filters.task is not None:
        incidents = incidents.filter(activity__task=filters.task)
    if filters.kind:
        incidents = incidents.filter(kind=filters.kind)
    return incidents.order_by("-occurred_at", "-pk")


def incident_get_for_staff(*, user, pk: int) -> Incident:
    return (
        Incident.objects.filter(activity__area__in=_scope(user))
        .select_related("activity__task", "activity__area", "reporter", "reported_by", "closed_by")
        .prefetch_related("reopened_assessments")
        .get(pk=pk)
    )


def incident_counts_by_task_and_site(*, user, days: int = 365) -> list[dict]:
    """Incidents per task and site over the last year, by kind: one aggregate query."""
    since = timezone.now() - timedelta(days=days)
    return list(
        Incident.objects.filter(activity__area__in=_scope(user), occurred_at__gte=since)
        .values("activity__task__name", "activity__site")
        .annotate(
            total=Count("pk"),
            accidents=Count("pk", filter=Q(kind=Incident.Kind.ACCIDENT)),
            near_misses=Count("pk", filter=Q(kind=Incident.Kind.NEAR_MISS)),
            finds=Count("pk", filter=Q(kind=Incident.Kind.DANGEROUS_FIND)),
            open=Count("pk", filter=Q(status=Incident.Status.OPEN)),
        )
        .order_by("-total", "activity__task__name", "activity__site")
    )


# The officer's dashboard ----------------------------------------------------------------


@dataclass
class Dashboard:
    awaiting: list = field(default_factory=list)
    expiring: list = field(default_factory=list)
    lapsing: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    incidents: list = field(default_factory=list)
    at_risk: list = field(default_factory=list)


def volunteering_dashboard(*, user, rows: int = DASHBOARD_ROWS) -> Dashboard:
    """What needs an officer's attention in their areas, one query a section whatever
    the numbers: assessments awaiting a decision (not their own), assessments due for
    review, training lapsing, kits overdue, open incidents, and scheduled activities no
    in-date assessment covers any more."""
    scope = _scope(user)
    today = timezone.localdate()
    horizon = today + timedelta(days=NOTICE_DAYS)
    awaiting = (
        RiskAssessment.objects.filter(
            area__in=scope,
            status__in=[RiskAssessment.Status.SUBMITTED, RiskAssessment.Status.UNDER_REVIEW],
        )
        .exclude(author=user)
        .select_related("task", "area", "author")
        .order_by("submitted_at", "pk")[:rows]
    )
    expiring = (
        RiskAssessment.objects.filter(
            area__in=scope.with_ancestors(),
            status=RiskAssessment.Status.APPROVED,
            review_on__lte=horizon,
        )
        .select_related("task", "area", "owner")
        .order_by("review_on", "pk")[:rows]
    )
    lapsing = (
        TrainingRecord.objects.filter(
            participant__home_ward__in=scope,
            participant__erased_at__isnull=True,
            expires_on__gte=today - timedelta(days=NOTICE_DAYS),
            expires_on__lte=horizon,
        )
        .exclude(
            Exists(
                TrainingRecord.objects.filter(
                    participant=OuterRef("participant"),
                    course=OuterRef("course"),
                    completed_on__gt=OuterRef("completed_on"),
                )
            )
        )
        .select_related("participant", "course")
        .order_by("expires_on", "pk")[:rows]
    )
    overdue = (
        ToolkitLoan.objects.overdue(today=today)
        .filter(toolkit__home_area__in=scope)
        .select_related("toolkit", "holder")
        .order_by("due_on", "pk")[:rows]
    )
    incidents = (
        Incident.objects.filter(activity__area__in=scope, status=Incident.Status.OPEN)
        .select_related("activity__task", "activity__area")
        .order_by("-occurred_at", "-pk")[:rows]
    )
    at_risk = (
        VolunteerActivity.objects.filter(
            area__in=scope,
            status=VolunteerActivity.Status.SCHEDULED,
            ends_at__gte=_start_of(today),
        )
        .annotate(covered=_cover_exists())
        .filter(covered=False)
        .select_related("task", "area")
        .order_by("starts_at", "pk")[:rows]
    )
    return Dashboard(
        awaiting=list(awaiting),
        expiring=list(expiring),
        lapsing=list(lapsing),
        overdue=list(overdue),
        incidents=list(incidents),
        at_risk=list(at_risk),
    )


# A resident's own volunteering ----------------------------------------------------------


@dataclass
class MyVolunteering:
    volunteer: Volunteer | None
    training: list
    signatures: list
    loans: list
    roster: list
    reports: list
    assessments: list
    is_group_lead: bool


def my_volunteering(*, participant: Participant, user) -> MyVolunteering:
    """A volunteer's or group lead's own page: their kit, activities and reports."""
    volunteer = Volunteer.objects.filter(participant=participant).first()
    loans = list(
        ToolkitLoan.objects.filter(holder=participant)
        .select_related("toolkit")
        .prefetch_related("toolkit__items")
        .order_by("returned_on", "-lent_on")[:20]
    )
    roster = list(
        ActivityRosterEntry.objects.filter(participant=participant)
        .exclude(status=ActivityRosterEntry.Status.WITHDRAWN)
        .select_related("activity__task", "activity__area")
        .order_by("-activity__starts_at")[:30]
    )
    return MyVolunteering(
        volunteer=volunteer,
        training=list(
            TrainingRecord.objects.filter(participant=participant)
            .select_related("course")
            .order_by("course__name", "-completed_on")
        ),
        signatures=list(
            DisclaimerSignature.objects.filter(participant=participant).select_related(
                "disclaimer"
            )
        ),
        loans=loans,
        roster=roster,
        reports=list(
            ActivityReport.objects.filter(reporter=participant)
            .select_related("task", "ward")
            .order_by("-done_on", "-pk")[:30]
        ),
        assessments=list(
            RiskAssessment.objects.filter(author=user)
            .select_related("task", "area")
            .order_by("-created_at")[:20]
        ),
        is_group_lead=any(loan.returned_on is None for loan in loans)
        or any(
            entry.role == ActivityRosterEntry.Role.LEAD
            and entry.activity.status != VolunteerActivity.Status.CANCELLED
            for entry in roster
        ),
    )


# The partner API ------------------------------------------------------------------------


def activity_list_for_api(*, areas: QuerySet[Area], agency=None) -> QuerySet[VolunteerActivity]:
    """Volunteer activities for the partner API: those in `areas` (an agency's
    partnerships' areas and everything beneath them, or a person's areas) and those for
    events the agency organises, with how many are rostered and whether an approved,
    in-date assessment covers each (one subquery); never who is rostered."""
    condition = Q(area__in=areas.values("pk"))
    if agency is not None:
        condition |= Q(event__organising_agency=agency)
    return (
        VolunteerActivity.objects.filter(condition)
        .select_related("task", "area", "event__organising_agency")
        .annotate(
            roster_count=Count(
                "roster",
                filter=~Q(roster__status=ActivityRosterEntry.Status.WITHDRAWN),
                distinct=True,
            ),
            covered=_cover_exists(),
        )
    )


def volunteer_known_to_agency(*, agency, reference: str) -> Participant | None:
    """The person with this reference whom the agency knows: registered for an event it
    organises or rostered on an activity for one. None otherwise (whether or not the
    reference exists elsewhere)."""
    return (
        Participant.objects.filter(reference=reference)
        .filter(
            Q(attendances__event__organising_agency=agency)
            | Q(activity_roster__activity__event__organising_agency=agency)
        )
        .distinct()
        .first()
    )
