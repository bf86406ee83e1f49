"""Reads for the governance pages, each scoped to what the person may see."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from communities.models import Area
from coproduction.accounts.roles import Role
from coproduction.accounts.selectors import area_list_for_user
from projects import ledger
from projects.models import Project

from .models import (
    AuditEvent,
    Board,
    BoardMembership,
    Budget,
    Decision,
    Meeting,
    Partnership,
    Priority,
    PriorityCycle,
    PriorityReview,
    SignOffRequest,
)
from .signoffs import delegation_list_in_force

RATIFICATION_KEY = "adoption"


def _scope_filter(user, field: str = "area") -> Q:
    """Records whose area lies within, contains or is one of the person's areas."""
    assigned = user.areas.all()
    return Q(**{f"{field}__in": assigned.with_descendants()}) | Q(
        **{f"{field}__in": assigned.with_ancestors()}
    )


def partnership_list_for_user(*, user) -> QuerySet[Partnership]:
    """The partnerships a person may read: administrators all; officers, councillors and
    board members those of their areas; partner agencies those they belong to."""
    if not user.is_authenticated or not user.is_active:
        return Partnership.objects.none()
    if user.has_role(Role.ADMINISTRATOR):
        return Partnership.objects.all()
    condition = Q(pk__in=[])
    if {Role.OFFICER, Role.ELECTED_MEMBER, Role.BOARD_MEMBER}.intersection(user.roles):
        condition |= _scope_filter(user)
    if user.has_role(Role.PARTNER_AGENCY) and user.partner_agency_id:
        condition |= Q(agencies=user.partner_agency_id)
    if user.has_role(Role.BOARD_MEMBER):
        condition |= Q(board__memberships__in=board_membership_list_for_user(user=user))
    return Partnership.objects.filter(condition).distinct()


def partnership_list_managed_by(*, user) -> QuerySet[Partnership]:
    """The partnerships a person runs: officers for their areas, administrators all."""
    if user.has_role(Role.ADMINISTRATOR):
        return Partnership.objects.all()
    if user.has_role(Role.OFFICER):
        return Partnership.objects.filter(area__in=area_list_for_user(user=user))
    return Partnership.objects.none()


def partnership_list_for_resident(*, user) -> QuerySet[Partnership]:
    """Partnerships whose area includes where a resident lives."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(area__in=user.areas.all().with_ancestors())


def partnership_list_page(*, user) -> QuerySet[Partnership]:
    return (
        partnership_list_for_user(user=user)
        .select_related("area", "board")
        .annotate(
            agency_count=Count("agencies", distinct=True),
            open_cycles=Count(
                "priority_cycles",
                filter=~Q(priority_cycles__status=PriorityCycle.Status.CLOSED),
                distinct=True,
            ),
        )
        .order_by("name")
    )


def board_membership_list_for_user(*, user) -> QuerySet[BoardMembership]:
    """A person's current seats, held in their own name or as a resident."""
    return BoardMembership.objects.filter(status=BoardMembership.Status.CURRENT).filter(
        Q(user=user) | Q(participant__user=user)
    )


def board_with_seats(*, board: Board) -> Board:
    """The board with its categories, seats and current members (three queries)."""
    current = BoardMembership.objects.filter(status=BoardMembership.Status.CURRENT)
    return (
        Board.objects.filter(pk=board.pk)
        .prefetch_related(
            "categories",
            Prefetch(
                "categories__seat_set__memberships",
                queryset=current.select_related("participant", "user"),
                to_attr="current",
            ),
        )
        .get()
    )


def seat_rows(*, board: Board) -> list[dict]:
    """Each category with its seats: who holds each, or that it is vacant."""
    rows = []
    for category in board.categories.all():
        seats: list[dict] = []
        filled = 0
        for seat in category.seat_set.all():
            holder = seat.current[0] if seat.current else None
            if holder is not None:
                filled += 1
                seats.append({"label": str(seat.number), "membership": holder})
            elif seats and seats[-1]["membership"] is None:
                # A run of vacant seats shows as one row: "Seats 3 to 7".
                seats[-1]["last"] = seat.number
                seats[-1]["label"] = f"{seats[-1]['first']} to {seat.number}"
            else:
                seats.append({"label": str(seat.number), "membership": None, "first": seat.number})
        rows.append(
            {
                "category": category,
                "seats": seats,
                "filled": filled,
                "vacant": category.seats - filled,
            }
        )
    return rows


def budget_list_with_totals(*, budgets: QuerySet[Budget]) -> list[Budget]:
    """Budgets with what is committed, pending (awaiting a member's decision), left and
    levered, read from the projects' funding lines (projects.ledger, the one ledger)."""
    return ledger.budget_list_with_totals(budgets=budgets)


def _delegated_signoff_q(*, user) -> Q:
    """The requests authority delegated to this member and in force today lets them
    decide, by the rule signoffs decides with: a kind and amount the delegation allows,
    every area of the request within its areas. Reads the delegations (one query, and
    one for their areas when there are any)."""
    condition = Q(pk__in=[])
    delegations = delegation_list_in_force(user=user, on=timezone.localdate())
    for delegation in delegations.prefetch_related("areas"):
        covered = Area.objects.filter(
            pk__in=[a.pk for a in delegation.areas.all()]
        ).with_descendants()
        # Every area of the request within the delegation, as signoffs decides.
        beyond = SignOffRequest.areas.through.objects.exclude(area__in=covered)
        term = ~Q(pk__in=beyond.values("signoffrequest"))
        if delegation.kinds:
            term &= Q(kind__in=delegation.kinds)
        if delegation.max_amount is not None:
            term &= Q(amount__isnull=True) | Q(amount__lte=delegation.max_amount)
        condition |= term
    return condition


def signoff_list_for_member(*, user) -> QuerySet[SignOffRequest]:
    """Pending requests this elected member may decide: for their wards (or areas above
    or within them), or covered by authority delegated to them. Not their own."""
    if not user.has_role(Role.ELECTED_MEMBER):
        return SignOffRequest.objects.none()
    condition = _scope_filter(user, "areas") | _delegated_signoff_q(user=user)
    ids = SignOffRequest.objects.filter(condition).values("pk")
    return (
        SignOffRequest.objects.filter(status=SignOffRequest.Status.PENDING, pk__in=ids)
        .exclude(requested_by=user)
        .exclude(
            pk__in=SignOffRequest.excluded_deciders.through.objects.filter(user=user).values(
                "signoffrequest"
            )
        )
        .select_related("requested_by", "subject_type")
        .prefetch_related("areas")
        .order_by("deadline", "requested_at")
    )


def signoff_list_visible(*, user) -> QuerySet[SignOffRequest]:
    """Every request a person may read: those of their areas (administrators: all)."""
    if user.has_role(Role.ADMINISTRATOR):
        return SignOffRequest.objects.all()
    return SignOffRequest.objects.filter(
        pk__in=SignOffRequest.objects.filter(_scope_filter(user, "areas")).values("pk")
    )


def signoff_list_for_member_to_read(*, user) -> QuerySet[SignOffRequest]:
    """The requests an elected member is asked about or answered (for the projects they
    may open): those of their areas, those authority delegated to them now lets them
    decide (the kinds, amount and areas the decision allows), and those they decided."""
    if not user.has_role(Role.ELECTED_MEMBER):
        return SignOffRequest.objects.none()
    return SignOffRequest.objects.filter(
        pk__in=SignOffRequest.objects.filter(
            _scope_filter(user, "areas") | _delegated_signoff_q(user=user) | Q(decided_by=user)
        ).values("pk")
    )


def ward_list_for_member(*, user) -> QuerySet[Area]:
    return user.areas.filter(kind=Area.Kind.WARD).order_by("name")


def project_list_for_areas(*, areas: QuerySet[Area]) -> QuerySet[Project]:
    ids = Project.objects.filter(areas__in=areas.with_descendants()).values("pk")
    return Project.objects.filter(pk__in=ids).in_stage_order()


def budget_list_for_member(*, user) -> list[Budget]:
    """A councillor's own neighbourhood budgets, and the budgets of the areas their wards
    are in, with their totals."""
    wards = ward_list_for_member(user=user)
    budgets = (
        Budget.objects.filter(
            Q(holder=user) | Q(area__in=wards.with_ancestors(), holder__isnull=True)
        )
        .select_related("area", "holder")
        .order_by("-financial_year", "kind", "name")
    )
    return budget_list_with_totals(budgets=budgets)


def budget_list_for_partnership(*, partnership: Partnership) -> QuerySet[Budget]:
    """The partnership's own budgets and those of the areas within its area."""
    local = Area.objects.filter(pk=partnership.area_id)
    return (
        Budget.objects.filter(Q(partnership=partnership) | Q(area__in=local.with_descendants()))
        .select_related("area", "holder")
        .order_by("-financial_year", "kind", "name")
    )


def budget_list_for_awards(*, partnership: Partnership) -> QuerySet[Budget]:
    """The partnership's budgets an award can still be proposed from: this financial
    year's and any set for a year to come, not a year that has ended."""
    this_year = Budget.financial_year_of(timezone.localdate())
    return budget_list_for_partnership(partnership=partnership).filter(
        financial_year__gte=this_year
    )


def project_list_for_awards(*, areas: QuerySet[Area]) -> QuerySet[Project]:
    """Projects in these areas an award can go to: those still running."""
    return project_list_for_areas(areas=areas).open()


def priority_list_for_areas(*, areas: QuerySet[Area]) -> QuerySet[Priority]:
    """Priorities of the cycles still running for partnerships covering these areas."""
    return (
        Priority.objects.filter(
            cycle__partnership__area__in=areas.with_ancestors(),
        )
        .exclude(cycle__status=PriorityCycle.Status.CLOSED)
        .exclude(status=Priority.Status.WITHDRAWN)
        .select_related("cycle__partnership")
        .order_by("cycle__partnership__name", "cycle__period_start", "forum_rank", "title")
    )


def _ratification_status():
    return Subquery(
        SignOffRequest.objects.filter(
            subject_type=ContentType.objects.get_for_model(Priority),
            subject_id=OuterRef("pk"),
            kind=SignOffRequest.Kind.RATIFICATION,
            key=RATIFICATION_KEY,
        )
        .order_by("-requested_at", "-pk")
        .values("status")[:1]
    )


def priority_list_with_status(*, priorities: QuerySet[Priority]) -> QuerySet[Priority]:
    """Priorities with their ratification status, task group size and linked projects."""
    return priorities.annotate(
        ratification=_ratification_status(),
        task_group_size=Count("task_group", distinct=True),
        project_count=Count("projects", distinct=True),
    )


@dataclass(frozen=True)
class BoardCycle:
    cycle: PriorityCycle
    priorities: list

    @property
    def reviewed(self) -> bool:
        """Whether the member has scored any of this cycle's priorities yet."""
        return any(priority.own_reviews for priority in self.priorities)


@dataclass(frozen=True)
class BoardMemberPanel:
    membership: BoardMembership
    cycles: list[BoardCycle]
    adopted: list
    meetings: list


def board_member_panels(*, user) -> list[BoardMemberPanel]:
    """For each board a person sits on: the priorities of each cycle it is running (or, with
    none running, of its latest decided cycle) with the forum's votes and the person's own
    review, and every adopted priority's status.

    Six queries, whatever the number of boards, cycles, priorities, reviews or meetings.
    """
    from .services.priorities import priority_list_with_votes

    memberships = list(
        board_membership_list_for_user(user=user).select_related("board__partnership", "category")
    )
    partnership_ids = [m.board.partnership_id for m in memberships]
    current: dict[int, list[PriorityCycle]] = {}
    cycles = PriorityCycle.objects.filter(partnership__in=partnership_ids).exclude(
        status=PriorityCycle.Status.CLOSED
    )
    # Every cycle still taking proposals, votes or reviews; only without one, the latest
    # decided.
    for cycle in sorted(cycles, key=lambda c: (-c.period_start.toordinal(), -c.pk)):
        shown = current.setdefault(cycle.partnership_id, [])
        if cycle.status != PriorityCycle.Status.DECIDED:
            if shown and shown[0].status == PriorityCycle.Status.DECIDED:
                shown.clear()
            shown.append(cycle)
        elif not shown:
            shown.append(cycle)
    own = PriorityReview.objects.filter(membership__in=[m.pk for m in memberships])
    by_cycle: dict[int, list] = {}
    candidates = priority_list_with_votes(
        priorities=Priority.objects.filter(
            cycle__in=[c.pk for shown in current.values() for c in shown]
        )
    ).prefetch_related(Prefetch("reviews", queryset=own, to_attr="own_reviews"))
    for priority in candidates.order_by("-score", "title"):
        by_cycle.setdefault(priority.cycle_id, []).append(priority)
    adopted: dict[int, list] = {}
    for priority in priority_list_with_status(
        priorities=Priority.objects.filter(
            cycle__partnership__in=partnership_ids,
            status__in=[Priority.Status.ADOPTED, Priority.Status.COMPLETED],
        ).select_related("cycle")
    ).order_by("-cycle__period_start", "forum_rank", "title"):
        adopted.setdefault(priority.cycle.partnership_id, []).append(priority)
    coming: dict[int, list] = {}
    for meeting in (
        Meeting.objects.filter(
            partnership__in=partnership_ids,
            status=Meeting.Status.SCHEDULED,
            event__ends_at__gte=timezone.now(),
        )
        .select_related("event")
        .order_by("event__starts_at", "pk")
    ):
        coming.setdefault(meeting.partnership_id, []).append(meeting)
    panels = []
    for membership in memberships:
        partnership_id = membership.board.partnership_id
        panels.append(
            BoardMemberPanel(
                membership,
                [BoardCycle(c, by_cycle.get(c.pk, [])) for c in current.get(partnership_id, [])],
                adopted.get(partnership_id, []),
                coming.get(partnership_id, []),
            )
        )
    return panels


def meeting_list_for_partnership(*, partnership: Partnership) -> QuerySet[Meeting]:
    return (
        partnership.meetings.select_related("event")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-event__starts_at")
    )


def meeting_list_published(*, partnership: Partnership | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(minutes_published_at__isnull=False)
    if partnership is not None:
        meetings = meetings.filter(partnership=partnership)
    return meetings.select_related("event", "partnership").order_by("-event__starts_at")


def meeting_detail(*, meeting_id: int, partnerships: QuerySet[Partnership]) -> Meeting:
    decisions = Decision.objects.select_related(
        "proposer__participant",
        "proposer__user",
        "seconder__participant",
        "seconder__user",
        "priority",
    )
    return (
        Meeting.objects.filter(partnership__in=partnerships)
        .select_related("event", "partnership__board")
        .prefetch_related(
            Prefetch("items__decisions", queryset=decisions),
            "items__declarations__membership__participant",
            "items__declarations__membership__user",
            "member_attendance",
        )
        .get(pk=meeting_id)
    )


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: int | None = None
    object_type: str = ""
    object_id: str = ""
    outcome: str = ""
    since: date | None = None
    until: date | None = None


def audit_event_list(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.actor:
        events = events.filter(actor_id=filters.actor)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    if filters.since:
        events = events.filter(occurred_at__date__gte=filters.since)
    if filters.until:
        events = events.filter(occurred_at__date__lte=filters.until)
    return events.order_by("-occurred_at", "-id")


def audit_action_choices() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("action", flat=True).distinct()[:500])


def audit_object_type_choices() -> list[str]:
    return list(
        AuditEvent.objects.exclude(object_type="")
        .order_by()
        .values_list("object_type", flat=True)
        .distinct()[:200]
    )


@dataclass(frozen=True)
class CabinetUpdate:
    partnership: Partnership
    start: date
    end: date
    cycles: list
    priorities: list
    decisions: list
    stages: list
    projects: list
    budgets: list
    allocated: Decimal
    levered: Decimal
    leverage_ratio: Decimal | None


def cabinet_update(*, partnership: Partnership, start: date, end: date) -> CabinetUpdate:
    """What a partnership did in a period, for the council's cabinet."""
    # Cycles running in the period, and those whose forum or board acted in it.
    cycles = list(
        partnership.priority_cycles.filter(
            Q(period_start__lte=end, period_end__gte=start)
            | Q(result_recorded_at__date__range=(start, end))
            | Q(priorities__decided_at__date__range=(start, end))
        )
        .distinct()
        .order_by("period_start")
    )
    priorities = list(
        priority_list_with_status(
            priorities=Priority.objects.filter(cycle__in=cycles)
            .exclude(status=Priority.Status.WITHDRAWN)
            .select_related("cycle")
        ).order_by("cycle__period_start", "forum_rank", "title")
    )
    decisions = list(
        Decision.objects.filter(
            item__meeting__partnership=partnership,
            item__is_public=True,
            recorded_at__date__gte=start,
            recorded_at__date__lte=end,
        )
        .select_related("item__meeting__event", "priority")
        .order_by("recorded_at")
    )
    local = Area.objects.filter(pk=partnership.area_id)
    projects = list(project_list_for_areas(areas=local))
    counts = dict.fromkeys(Project.Stage.values, 0)
    for project in projects:
        counts[project.stage] += 1
    stages = [(Project.Stage(stage).label, count) for stage, count in counts.items()]
    partnership_budgets = budget_list_for_partnership(partnership=partnership)
    allocation = ledger.allocation_in_period(budgets=partnership_budgets, start=start, end=end)
    budgets = budget_list_with_totals(
        budgets=partnership_budgets.filter(financial_year=Budget.financial_year_of(start))
    )
    return CabinetUpdate(
        partnership=partnership,
        start=start,
        end=end,
        cycles=cycles,
        priorities=priorities,
        decisions=decisions,
        stages=stages,
        projects=projects,
        budgets=budgets,
        allocated=allocation.allocated,
        levered=allocation.levered,
        leverage_ratio=allocation.leverage,
    )


# The partner API ----------------------------------------------------------------------


def priority_cycle_list_for_api(*, partnerships: QuerySet[Partnership]) -> QuerySet[PriorityCycle]:
    """The priority cycles of these partnerships (the caller's), with their partnership."""
    return PriorityCycle.objects.filter(
        partnership__in=partnerships.order_by().values("pk")
    ).select_related("partnership")


def priority_list_for_api(*, partnerships: QuerySet[Partnership]) -> QuerySet[Priority]:
    """Priorities of these partnerships' cycles, with the projects taking them forward;
    never who proposed them."""
    return (
        Priority.objects.filter(cycle__partnership__in=partnerships.order_by().values("pk"))
        .select_related("cycle")
        .prefetch_related(Prefetch("projects", queryset=Project.objects.only("pk").order_by("pk")))
    )


def decision_list_published_for_api(*, partnerships: QuerySet[Partnership]) -> QuerySet[Decision]:
    """Board decisions as the published minutes give them: only meetings whose minutes are
    published, never exempt business, and the vote as totals (no one's own vote)."""
    return Decision.objects.filter(
        item__meeting__partnership__in=partnerships.order_by().values("pk"),
        item__meeting__minutes_published_at__isnull=False,
        item__is_public=True,
    ).select_related("item__meeting__event")
