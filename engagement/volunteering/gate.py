"""The gate: the one service that says whether a volunteer activity may be scheduled and
whether a volunteer may be rostered on it, and if not, exactly what is missing.

    result = volunteer_gate_check(actor=officer, task=task, area=ward, on=day,
                                  volunteer=participant)
    if not result.allowed:
        for refusal in result.refusals: ...   # code, message, link

Scheduling and rostering (engagement.volunteering.services) call it and refuse with
GateRefusedError; the pages show its refusals in the error summary, and the partner API
(issue 9) is to call the same function. The projects app's stage gate calls
project_volunteer_safety_refusals for a project entering or staying in "deliver".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from communities.models import Area
from engagement.models import (
    Event,
    Participant,
    RiskAssessment,
    TrainingRecord,
    Volunteer,
    VolunteerActivity,
    VolunteerTask,
)
from engagement.models.volunteering import ADULT_AGE
from engagement.services import EngagementError


@dataclass(frozen=True)
class Refusal:
    """One reason the gate says no, in words fit to show, with where to act on it."""

    code: str
    message: str
    link: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class GateResult:
    refusals: tuple[Refusal, ...] = ()
    # The assessment that covers the activity, when one does.
    assessment: RiskAssessment | None = None

    @property
    def allowed(self) -> bool:
        return not self.refusals

    @property
    def codes(self) -> set[str]:
        return {r.code for r in self.refusals}


class GateRefusedError(EngagementError):
    """The gate refused; `refusals` says exactly why."""

    def __init__(self, refusals: Iterable[Refusal]) -> None:
        self.refusals = tuple(refusals)
        super().__init__(" ".join(r.message for r in self.refusals))


# Refusal codes, for callers and tests.
NOT_PERMITTED = "not_permitted"
TASK_PROHIBITED = "task_prohibited"
TASK_WITHDRAWN = "task_withdrawn"
DATE_PASSED = "date_passed"
ASSESSMENT_MISSING = "assessment_missing"
ASSESSMENT_NOT_APPROVED = "assessment_not_approved"
ASSESSMENT_OUT_OF_DATE = "assessment_out_of_date"
INDUCTION_INCOMPLETE = "induction_incomplete"
TRAINING_MISSING = "training_missing"
TRAINING_EXPIRED = "training_expired"
AGE_UNKNOWN = "age_unknown"
UNDER_MINIMUM_AGE = "under_minimum_age"


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _name(participant: Participant) -> str:
    return str(participant)


def prohibited_refusal(task: VolunteerTask) -> Refusal:
    return Refusal(
        TASK_PROHIBITED,
        f"{task.name} is a job for the experts: volunteers never do it. {task.instead}",
        link=task.report_link(),
        link_text=f"Report it to the council ({task.name.lower()})",
    )


# Risk assessment cover ----------------------------------------------------------------


def assessment_candidates(
    *, task: VolunteerTask, area: Area, event: Event | None = None
) -> list[RiskAssessment]:
    """The live assessments of the task for the area or any area above it (council-wide
    ones included), general or for this event; most specific first."""
    areas = Area.objects.filter(pk=area.pk).with_ancestors()
    scope = Q(event__isnull=True) | Q(event=event) if event is not None else Q(event__isnull=True)
    candidates = list(
        RiskAssessment.objects.filter(task=task, area__in=areas)
        .filter(scope)
        .exclude(status__in=[RiskAssessment.Status.SUPERSEDED, RiskAssessment.Status.WITHDRAWN])
        .select_related("area")
    )
    depth = {Area.Kind.WARD: 0, Area.Kind.LSOA: 0, Area.Kind.AREA: 1, Area.Kind.COUNCIL: 2}
    return sorted(
        candidates,
        key=lambda a: (a.event_id is None, depth.get(a.area.kind, 3), -a.revision, -a.pk),
    )


def assessment_cover(
    *, task: VolunteerTask, area: Area, on: date, event: Event | None = None
) -> tuple[RiskAssessment | None, Refusal | None]:
    """The approved, in-date assessment that covers the task there on that day, or the
    refusal that names what is wrong with the nearest one."""
    candidates = assessment_candidates(task=task, area=area, event=event)
    for assessment in candidates:
        if assessment.is_in_date_on(on):
            return assessment, None
    create = f"{reverse('engagement:assessment_create')}?task={task.pk}"
    approved = [a for a in candidates if a.status == RiskAssessment.Status.APPROVED]
    if approved:
        lapsed = approved[0]
        return None, Refusal(
            ASSESSMENT_OUT_OF_DATE,
            f"The risk assessment for {task.name} ({lapsed.reference}) was due for review "
            f"on {_day(lapsed.review_on)}, before {_day(on)}: it must be reviewed and "
            "approved again.",
            link=lapsed.get_absolute_url(),
            link_text=f"Review {lapsed.reference}",
        )
    for status, wording in (
        (
            RiskAssessment.Status.UNDER_REVIEW,
            "was reopened for review{reason}: it must be approved again",
        ),
        (
            RiskAssessment.Status.SUBMITTED,
            "is waiting for approval by a competent officer who did not write it",
        ),
        (RiskAssessment.Status.DRAFT, "is a draft: it must be submitted and approved"),
    ):
        pending = next((a for a in candidates if a.status == status), None)
        if pending is not None:
            reason = (
                f" ({pending.reopened_reason})"
                if status == RiskAssessment.Status.UNDER_REVIEW and pending.reopened_reason
                else ""
            )
            return None, Refusal(
                ASSESSMENT_NOT_APPROVED,
                f"The risk assessment for {task.name} ({pending.reference}) "
                + wording.format(reason=reason)
                + ".",
                link=pending.get_absolute_url(),
                link_text=f"Open {pending.reference}",
            )
    return None, Refusal(
        ASSESSMENT_MISSING,
        f"No risk assessment covers {task.name} in {area.name}: one must be written and "
        "approved first.",
        link=create,
        link_text=f"Write a risk assessment for {task.name}",
    )


# The volunteer ------------------------------------------------------------------------


def _volunteer(participant: Participant) -> Volunteer | None:
    return Volunteer.objects.filter(participant=participant).first()


def volunteer_refusals(*, task: VolunteerTask, volunteer: Participant, on: date) -> list[Refusal]:
    """What stops this person doing this task on that day: induction, training, age."""
    refusals: list[Refusal] = []
    name = _name(volunteer)
    record = _volunteer(volunteer)
    people = reverse("engagement:volunteer_detail", args=[volunteer.pk])
    if record is None or record.inducted_on is None:
        refusals.append(
            Refusal(
                INDUCTION_INCOMPLETE,
                f"{name} has not been inducted: the volunteer involvement pack, emergency "
                "procedures and the boundaries of the role must be gone through first.",
                link=people,
                link_text=f"Record {name}'s induction",
            )
        )
    elif record.induction_missing:
        refusals.append(
            Refusal(
                INDUCTION_INCOMPLETE,
                f"{name}'s induction has not yet covered " + _and(record.induction_missing) + ".",
                link=people,
                link_text=f"Complete {name}'s induction",
            )
        )
    records = list(TrainingRecord.objects.filter(participant=volunteer).select_related("course"))
    for course in task.required_training.all():
        held = [r for r in records if r.course_id == course.pk]
        if not held:
            refusals.append(
                Refusal(
                    TRAINING_MISSING,
                    f"{name} has no {course.training}, which {task.name} needs.",
                    link=people,
                    link_text=f"Record {name}'s training",
                )
            )
        elif not any(r.is_current_on(on) for r in held):
            latest = max(held, key=lambda r: (r.expires_on or date.max, r.completed_on))
            refusals.append(
                Refusal(
                    TRAINING_EXPIRED,
                    f"{name}'s {course.training} "
                    + (
                        f"expired on {_day(latest.expires_on)}"
                        if latest.expires_on and latest.expires_on < on
                        else f"was completed on {_day(latest.completed_on)}, after {_day(on)}"
                    )
                    + f": {task.name} needs it to be current.",
                    link=people,
                    link_text=f"Record {name}'s refresher training",
                )
            )
    refusal = _age_refusal(task=task, record=record, name=name, on=on, link=people)
    if refusal is not None:
        refusals.append(refusal)
    return refusals


def _age_refusal(
    *, task: VolunteerTask, record: Volunteer | None, name: str, on: date, link: str
) -> Refusal | None:
    minimum = task.minimum_age
    if not minimum:
        return None
    youngest = record.youngest_age_on(on) if record is not None else None
    if youngest is None:
        return Refusal(
            AGE_UNKNOWN,
            f"{name}'s age is not recorded: {task.name} is for volunteers aged {minimum} or over.",
            link=link,
            link_text=f"Record {name}'s age",
        )
    if youngest >= minimum:
        return None
    if record.date_of_birth is None and record.year_of_birth is None:
        # Only "18 or over" was confirmed, and the task needs more.
        return Refusal(
            AGE_UNKNOWN,
            f"{name} confirmed they are {ADULT_AGE} or over, but {task.name} is for volunteers "
            f"aged {minimum} or over: record their date of birth.",
            link=link,
            link_text=f"Record {name}'s date of birth",
        )
    if record.date_of_birth is None and on.year - record.year_of_birth >= minimum:
        return Refusal(
            AGE_UNKNOWN,
            f"{name} was born in {record.year_of_birth}, so may be under {minimum} on "
            f"{_day(on)}: record their date of birth.",
            link=link,
            link_text=f"Record {name}'s date of birth",
        )
    return Refusal(
        UNDER_MINIMUM_AGE,
        f"{name} is under {minimum}, the minimum age for {task.name}.",
    )


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


# The gate -----------------------------------------------------------------------------


def volunteer_gate_check(
    *,
    actor,
    task: VolunteerTask,
    area: Area,
    on: date,
    volunteer: Participant | None = None,
    event: Event | None = None,
    today: date | None = None,
    agency=None,
) -> GateResult:
    """May `actor` schedule `task` in `area` on `on` (and roster `volunteer` on it)?

    Only council staff for the area may, or (through the partner API, `agency` with no
    `actor`) the partner agency organising the activity's event. A job for the experts
    is refused whatever else holds. Otherwise the task needs an approved risk assessment
    covering the area (or the event) that is still in date on the day, and the volunteer
    needs a complete induction, every training the task names (current on the day) and
    the minimum age. Every refusal is listed, not only the first.
    """
    refusals: list[Refusal] = []
    refusal = permission_refusal(actor=actor, area=area, event=event, agency=agency)
    if refusal is not None:
        refusals.append(refusal)
    if task.is_prohibited:
        refusals.append(prohibited_refusal(task))
        return GateResult(tuple(refusals))
    if not task.is_active:
        refusals.append(
            Refusal(TASK_WITHDRAWN, f"{task.name} is no longer in the council's task list.")
        )
        return GateResult(tuple(refusals))
    today = today or timezone.localdate()
    if on < today:
        refusals.append(Refusal(DATE_PASSED, f"{_day(on)} has passed: choose a day to come."))
    assessment, refusal = assessment_cover(task=task, area=area, on=on, event=event)
    if refusal is not None:
        refusals.append(refusal)
    if volunteer is not None:
        refusals.extend(volunteer_refusals(task=task, volunteer=volunteer, on=on))
    return GateResult(tuple(refusals), assessment)


def permission_refusal(*, actor, area: Area, event: Event | None, agency=None) -> Refusal | None:
    """Why `actor` (or, through the partner API, `agency` with no `actor`) may not schedule
    or roster in `area` for `event`; None when they may."""
    if agency is not None and actor is None:
        if event is None or event.organising_agency_id != agency.pk:
            return Refusal(
                NOT_PERMITTED,
                f"Only the partner agency organising the activity's event can schedule it "
                f"and roster volunteers on it; otherwise a council officer for {area.name} "
                "does.",
            )
        return None
    if not (
        actor is not None
        and actor.is_authenticated
        and actor.has_perm("engagement.schedule_volunteering", area)
    ):
        return Refusal(
            NOT_PERMITTED,
            f"Only a council officer for {area.name} can schedule volunteer activities "
            "and roster volunteers there.",
        )
    return None


def activity_gate_check(
    *, actor, activity: VolunteerActivity, volunteer: Participant | None = None, agency=None
) -> GateResult:
    """The gate for an activity already scheduled (rostering someone on it)."""
    return volunteer_gate_check(
        actor=actor,
        task=activity.task,
        area=activity.area,
        on=activity.day,
        volunteer=volunteer,
        event=activity.event,
        # Someone can be added to an activity already held (a register written up
        # late): every check then applies as on the day it was held.
        today=min(timezone.localdate(), activity.day),
        agency=agency,
    )


# The projects app's stage gate ----------------------------------------------------------


@dataclass(frozen=True)
class ActivityCover:
    """Whether one volunteer activity of a project is safe to deliver: its task is one
    volunteers may do, with an approved assessment in date today and on its day."""

    activity: VolunteerActivity
    refusal: Refusal | None

    @property
    def label(self) -> str:
        return f"{self.activity.task.name}: {self.activity.title} ({_day(self.activity.day)})"


def project_activity_cover(*, project, today: date | None = None) -> list[ActivityCover]:
    """Every volunteer activity the project has scheduled from today on, with what (if
    anything) stops it being delivered safely."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    activities = (
        VolunteerActivity.objects.filter(
            project=project, status=VolunteerActivity.Status.SCHEDULED, ends_at__gte=start
        )
        .select_related("task", "area", "event")
        .order_by("starts_at", "pk")
    )
    results = []
    for activity in activities:
        refusal = None
        if activity.task.is_prohibited:
            refusal = prohibited_refusal(activity.task)
        else:
            for day in sorted({today, max(today, activity.day)}):
                _cover, refusal = assessment_cover(
                    task=activity.task, area=activity.area, on=day, event=activity.event
                )
                if refusal is not None:
                    break
        results.append(ActivityCover(activity, refusal))
    return results


def project_volunteer_safety_refusals(*, project, today: date | None = None) -> list[str]:
    """Why a project may not enter (or stay in) its deliver stage on volunteer safety:
    every volunteer activity it has scheduled from today on must be for a task volunteers
    may do, covered by an approved risk assessment in date on the day and today.

    Empty when nothing stops it. engagement/gates.py registers this check with the
    projects app's stage gate ("risk assessments approved and in date for any volunteer
    tasks in deliver").
    """
    return [
        f"{cover.activity.title} ({_day(cover.activity.day)}): {cover.refusal.message}"
        for cover in project_activity_cover(project=project, today=today)
        if cover.refusal is not None
    ]
