"""Each role's next actions on the home page, counted in one query per page.

Every count is taken from the same selector as the page it links to, so the number on
the home page is the number of rows the person finds when they follow the link.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import IntegerField, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from coproduction.accounts.selectors import area_list_for_user

UPCOMING_DAYS = 14


class SubqueryCount(Subquery):
    """COUNT(*) of a queryset, as a scalar subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


@dataclass(frozen=True)
class Action:
    """A next action: `label` holds `{n}` for the count; `urgent` ones are tagged."""

    key: str
    singular: str
    plural: str
    url: str
    urgent: bool = False
    count: int = 0

    @property
    def label(self) -> str:
        return ngettext(self.singular, self.plural, self.count).format(n=self.count)


@dataclass(frozen=True)
class Pending:
    action: Action
    queryset: QuerySet


def counts_fetch(*, user: User, querysets: dict[str, QuerySet]) -> dict[str, int]:
    """The row count of every queryset, in a single database query."""
    if not querysets:
        return {}
    annotations = {
        key: SubqueryCount(queryset.order_by().values("pk")) for key, queryset in querysets.items()
    }
    return User.objects.filter(pk=user.pk).annotate(**annotations).values(*annotations).get()


def _officer(user: User) -> list[Pending]:
    from engagement import selectors as engagement
    from engagement.models import IssueReport, RiskAssessment, StreetChampion, ToolkitLoan

    scope = area_list_for_user(user=user)
    now = timezone.now()
    today = timezone.localdate()
    open_reports = IssueReport.objects.filter(ward__in=scope, state__is_open=True)
    return [
        Pending(
            Action(
                "champions_waiting",
                "{n} street champion waiting for approval",
                "{n} street champions waiting for approval",
                reverse("engagement:champion_list") + "?status=awaiting_approval",
                urgent=True,
            ),
            engagement.champion_list_for_user(
                user=user, status=StreetChampion.Status.AWAITING_APPROVAL
            ),
        ),
        Pending(
            Action(
                "reports_open",
                "{n} open report in your area teams' queue",
                "{n} open reports in your area teams' queue",
                reverse("engagement:report_queue"),
            ),
            open_reports,
        ),
        Pending(
            Action(
                "reports_overdue",
                "{n} report past its due date",
                "{n} reports past their due date",
                reverse("engagement:report_queue") + "?overdue=on",
                urgent=True,
            ),
            open_reports.filter(due_at__lt=now),
        ),
        Pending(
            Action(
                "assessments_awaiting",
                "{n} risk assessment to approve",
                "{n} risk assessments to approve",
                reverse("engagement:volunteering_dashboard"),
                urgent=True,
            ),
            RiskAssessment.objects.filter(
                area__in=scope,
                status__in=[RiskAssessment.Status.SUBMITTED, RiskAssessment.Status.UNDER_REVIEW],
            ).exclude(author=user),
        ),
        Pending(
            Action(
                "loans_overdue",
                "{n} toolkit loan overdue",
                "{n} toolkit loans overdue",
                reverse("engagement:toolkit_list") + "?status=overdue",
                urgent=True,
            ),
            ToolkitLoan.objects.overdue(today=today).filter(toolkit__home_area__in=scope),
        ),
        Pending(
            Action(
                "events_upcoming",
                "{n} event in the next two weeks",
                "{n} events in the next two weeks",
                reverse("engagement:event_list"),
            ),
            engagement.event_list_for_user(user=user, upcoming_only=True).filter(
                starts_at__lte=now + timedelta(days=UPCOMING_DAYS)
            ),
        ),
    ]


def _councillor(user: User) -> list[Pending]:
    from engagement.models import IssueReport
    from governance import selectors as governance

    wards = area_list_for_user(user=user)
    return [
        Pending(
            Action(
                "signoffs_waiting",
                "{n} sign-off waiting for your decision",
                "{n} sign-offs waiting for your decision",
                reverse("governance:councillor"),
                urgent=True,
            ),
            governance.signoff_list_for_member(user=user),
        ),
        Pending(
            Action(
                "ward_projects",
                "{n} project in your wards",
                "{n} projects in your wards",
                reverse("governance:councillor"),
            ),
            governance.project_list_for_areas(areas=user.areas.all()),
        ),
        Pending(
            Action(
                "ward_reports_open",
                "{n} open street report in your wards",
                "{n} open street reports in your wards",
                reverse("engagement:report_stats"),
            ),
            IssueReport.objects.filter(ward__in=wards, state__is_open=True),
        ),
    ]


def _board_member(user: User) -> list[Pending]:
    from governance.models import Meeting, Priority, PriorityCycle, PriorityReview
    from governance.selectors import board_membership_list_for_user

    memberships = board_membership_list_for_user(user=user)
    return [
        Pending(
            Action(
                "priorities_to_review",
                "{n} priority to review",
                "{n} priorities to review",
                reverse("governance:board_member"),
                urgent=True,
            ),
            Priority.objects.filter(
                cycle__status=PriorityCycle.Status.BOARD_REVIEW,
                status=Priority.Status.PROPOSED,
                cycle__partnership__board__memberships__in=memberships,
            ).exclude(
                pk__in=PriorityReview.objects.filter(membership__in=memberships).values("priority")
            ),
        ),
        Pending(
            Action(
                "meetings_upcoming",
                "{n} board meeting in the next two weeks",
                "{n} board meetings in the next two weeks",
                reverse("governance:board_member"),
            ),
            Meeting.objects.filter(
                kind=Meeting.Kind.BOARD,
                status=Meeting.Status.SCHEDULED,
                partnership__board__memberships__in=memberships,
                event__starts_at__gte=timezone.now(),
                event__starts_at__lte=timezone.now() + timedelta(days=UPCOMING_DAYS),
            ),
        ),
    ]


def _resident(user: User) -> list[Pending]:
    from engagement.models import Attendance, Event, IssueReport, ToolkitLoan
    from governance.models import Ballot, PriorityCycle
    from governance.selectors import partnership_list_for_resident

    cycles = PriorityCycle.objects.filter(partnership__in=partnership_list_for_resident(user=user))
    return [
        Pending(
            Action(
                "my_reports_open",
                "{n} of your reports still open",
                "{n} of your reports still open",
                reverse("engagement:my_page"),
            ),
            IssueReport.objects.filter(
                reporter__user=user, reporter__erased_at__isnull=True, state__is_open=True
            ),
        ),
        # Each cycle counted for what the resident can do in it now: propose while it
        # takes proposals, vote (once) while it is open for voting.
        Pending(
            Action(
                "proposals_open",
                "{n} chance to propose a local priority",
                "{n} chances to propose local priorities",
                reverse("governance:cycle_open_list"),
            ),
            cycles.filter(status=PriorityCycle.Status.PROPOSING),
        ),
        Pending(
            Action(
                "votes_open",
                "{n} local priority vote you can take part in",
                "{n} local priority votes you can take part in",
                reverse("governance:cycle_open_list"),
            ),
            cycles.filter(status=PriorityCycle.Status.VOTING).exclude(
                pk__in=Ballot.objects.filter(participant__user=user).values("cycle")
            ),
        ),
        Pending(
            Action(
                "my_events",
                "{n} event you are going to",
                "{n} events you are going to",
                reverse("engagement:my_page"),
            ),
            Attendance.objects.filter(
                participant__user=user,
                event__starts_at__gte=timezone.now(),
                status=Attendance.Status.REGISTERED,
            ).exclude(event__status=Event.Status.CANCELLED),
        ),
        Pending(
            Action(
                "my_loans_overdue",
                "{n} toolkit to return: it is overdue",
                "{n} toolkits to return: they are overdue",
                reverse("engagement:my_volunteering"),
                urgent=True,
            ),
            ToolkitLoan.objects.overdue().filter(holder__user=user),
        ),
    ]


def _partner(user: User) -> list[Pending]:
    from coproduction.api.models import ApiClient
    from governance.models import Priority
    from governance.selectors import partnership_list_for_user

    partnerships = partnership_list_for_user(user=user)
    return [
        Pending(
            Action(
                "partnerships",
                "{n} partnership your agency works in",
                "{n} partnerships your agency works in",
                reverse("governance:partnership_list"),
            ),
            partnerships,
        ),
        Pending(
            Action(
                "priorities_adopted",
                "{n} adopted priority in your partnerships",
                "{n} adopted priorities in your partnerships",
                reverse("governance:partnership_list"),
            ),
            Priority.objects.filter(
                cycle__partnership__in=partnerships, status=Priority.Status.ADOPTED
            ),
        ),
        Pending(
            Action(
                "api_clients",
                "{n} API client for your agency's systems",
                "{n} API clients for your agency's systems",
                # Listed on the home page itself: the clients' own pages are the
                # administrator's.
                reverse("home") + "#api-clients",
            ),
            ApiClient.objects.filter(agency_id=user.partner_agency_id, revoked_at__isnull=True),
        ),
    ]


def _administrator(user: User) -> list[Pending]:
    from coproduction.jobs.models import Job
    from governance.models import SignOffRequest

    return [
        Pending(
            Action(
                "people_without_role",
                "{n} account with no role yet",
                "{n} accounts with no role yet",
                reverse("admin:accounts_user_changelist"),
                urgent=True,
            ),
            User.objects.filter(is_active=True, is_superuser=False, groups__isnull=True),
        ),
        Pending(
            Action(
                "jobs_failed",
                "{n} background job that failed",
                "{n} background jobs that failed",
                reverse("admin:jobs_job_changelist") + "?status__exact=failed",
                urgent=True,
            ),
            Job.objects.filter(status=Job.Status.FAILED),
        ),
        Pending(
            Action(
                "signoffs_pending",
                "{n} sign-off waiting for a councillor",
                "{n} sign-offs waiting for a councillor",
                reverse("governance:audit_list"),
            ),
            SignOffRequest.objects.filter(status=SignOffRequest.Status.PENDING),
        ),
    ]


SECTIONS = [
    (Role.ADMINISTRATOR, "Administration", _administrator),
    (Role.OFFICER, "Your work as an officer", _officer),
    (Role.ELECTED_MEMBER, "Your wards", _councillor),
    (Role.BOARD_MEMBER, "Your board", _board_member),
    (Role.PARTNER_AGENCY, "Your agency", _partner),
    (Role.RESIDENT, "Taking part", _resident),
]


@dataclass(frozen=True)
class Section:
    role: Role
    heading: str
    actions: list[Action]

    @property
    def shown(self) -> list[Action]:
        """Every count that informs, and the to-dos that are waiting (a to-do at 0 is
        left out rather than shown as a link to an empty list)."""
        return [a for a in self.actions if a.count or not a.urgent]


def dashboard_for_user(*, user: User) -> list[Section]:
    """The sections of a person's home page, one per role they hold, with every count
    taken in one query."""
    built = [
        (role, heading, builder(user))
        for role, heading, builder in SECTIONS
        if user.has_role(role)
    ]
    querysets = {
        f"{role}:{pending.action.key}": pending.queryset
        for role, _heading, pendings in built
        for pending in pendings
    }
    counts = counts_fetch(user=user, querysets=querysets)
    return [
        Section(
            role,
            heading,
            [
                Action(**{**p.action.__dict__, "count": counts[f"{role}:{p.action.key}"]})
                for p in pendings
            ],
        )
        for role, heading, pendings in built
    ]
