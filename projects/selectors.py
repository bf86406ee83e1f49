"""Reads for the project pages, the exports and the public pages.

Every page reads through here with a fixed number of queries whatever the size of a
project's roster, funding or outcomes: related rows are loaded in one query per kind.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.utils import timezone

from communities.models import Area
from coproduction.accounts.models import User
from coproduction.accounts.roles import ROLE_ORDER, Role
from coproduction.accounts.selectors import area_list_for_user
from engagement.models import Participant, ParticipationLevel
from governance.models import Budget, PartnerAgency, SignOffRequest
from governance.selectors import signoff_list_for_member

from .figures import IndicatorProgress, indicator_progress, leverage_ratio
from .gates import SIGNOFF_STAGES, Condition, GateContext, gate_signoff_key, gates
from .ledger import funding_line_list
from .models import (
    CommissioningAssessment,
    FundingLine,
    Indicator,
    Measurement,
    Project,
    ProjectDocument,
    RosterEntry,
    StageTransition,
    stage_after,
    stage_before,
)
from .scope import area_scope_for_reading, project_list_visible


def project_list_for_user(*, user) -> QuerySet[Project]:
    """The projects a person may see, with what the register shows of each."""
    return (
        project_list_visible(user=user)
        .select_related("service_area", "lead_officer")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))
        .with_funding_totals()
        .with_roster_counts()
        .order_by("-updated_at", "-pk")
    )


def project_get_for_user(*, user, pk) -> Project:
    """The project, if the person may see it; Project.DoesNotExist otherwise."""
    return (
        project_list_visible(user=user).select_related("service_area", "lead_officer").get(pk=pk)
    )


def project_stage_counts(*, projects: QuerySet[Project]) -> dict[str, int]:
    rows = projects.order_by().values("stage").annotate(count=Count("pk", distinct=True))
    counts = {row["stage"]: row["count"] for row in rows}
    return {stage: counts.get(stage, 0) for stage in Project.Stage}


def signoffs_for_project(*, project: Project) -> dict[tuple[str, str], SignOffRequest]:
    """The latest sign-off request for each (kind, key) about the project."""
    requests = SignOffRequest.objects.filter(
        subject_type=ContentType.objects.get_for_model(Project), subject_id=project.pk
    ).select_related("decided_by", "requested_by")
    latest: dict[tuple[str, str], SignOffRequest] = {}
    for request in requests.order_by("requested_at", "pk"):
        latest[(request.kind, request.key)] = request
    return latest


def signoff_ids_to_decide(*, project: Project, user) -> set[int]:
    """The project's pending sign-off requests this member may decide (not those for other
    wards, nor one spending their own neighbourhood budget): one query, and one for any
    authority delegated to them; none for anyone but an elected member."""
    return set(
        signoff_list_for_member(user=user)
        .filter(subject_type=ContentType.objects.get_for_model(Project), subject_id=project.pk)
        .prefetch_related(None)
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class GateSignoff:
    stage: str
    label: str
    request: SignOffRequest | None
    # Given since the project last entered the stage (an older approval does not count).
    current: bool


@dataclass(frozen=True)
class FundingSummary:
    lines: list[FundingLine]
    committed: Decimal
    spent: Decimal
    awaiting: Decimal
    # Committed from the council's devolved budgets, and levered from partners and match
    # funders: leverage is the one per £1 of the other.
    devolved: Decimal
    levered: Decimal
    leverage: Decimal | None
    by_source: list[tuple[str, Decimal]]


@dataclass
class ProjectPage:
    project: Project
    roster: list[RosterEntry]
    roster_by_role: list[tuple[str, int]]
    roster_by_level: list[tuple[str, int]]
    roster_hours: Decimal
    documents: list[ProjectDocument]
    transitions: list[StageTransition]
    funding: FundingSummary
    line_signoffs: dict[int, SignOffRequest]
    indicators: list[IndicatorProgress]
    assessment: CommissioningAssessment | None
    gate_signoffs: list[GateSignoff]
    next_stage: str | None
    previous_stage: str | None
    conditions: list[Condition] = field(default_factory=list)

    @property
    def unmet(self) -> list[Condition]:
        return [condition for condition in self.conditions if not condition.met]

    @property
    def gate_open(self) -> bool:
        return self.next_stage is not None and all(c.met for c in self.conditions)


def funding_summary(lines: list[FundingLine]) -> FundingSummary:
    committed_lines = [line for line in lines if line.status == FundingLine.Status.COMMITTED]
    devolved = sum((line.amount for line in committed_lines if line.is_devolved), Decimal(0))
    levered = sum((line.amount for line in committed_lines if line.is_levered), Decimal(0))
    by_source = Counter()
    for line in committed_lines:
        by_source[line.source] += line.amount
    return FundingSummary(
        lines=lines,
        committed=sum((line.amount for line in committed_lines), Decimal(0)),
        spent=sum((line.spent for line in committed_lines), Decimal(0)),
        awaiting=sum(
            (line.amount for line in lines if line.status == FundingLine.Status.AWAITING_SIGNOFF),
            Decimal(0),
        ),
        devolved=devolved,
        levered=levered,
        leverage=leverage_ratio(devolved=devolved, levered=levered),
        by_source=[
            (FundingLine.Source(source).label, by_source[source])
            for source in FundingLine.Source
            if by_source[source]
        ],
    )


def roster_list_for_project(*, project: Project) -> list[RosterEntry]:
    """The roster in the project page's order (role, then start), each account's entry
    with the role it holds (`account_role`), in two queries."""
    roster = list(
        project.roster.select_related("participant", "user")
        .prefetch_related("user__groups")
        .order_by("role", "started_on", "pk")
    )
    for entry in roster:
        entry.account_role = _account_role(entry.user) if entry.user_id else None
    return roster


def project_page(*, project: Project) -> ProjectPage:
    """Everything the project page shows, and the gate to the next stage, loaded with one
    query per kind of record."""
    prefetch_related_objects(
        [project],
        Prefetch("areas", queryset=Area.objects.order_by("name")),
        "communities",
        "partner_agencies",
    )
    roster = roster_list_for_project(project=project)
    documents = list(project.documents.select_related("recorded_by").order_by("-created_at"))
    transitions = list(
        project.transitions.select_related("actor", "signoff__decided_by").prefetch_related(
            "evidence"
        )
    )
    lines = list(project.funding.select_related("budget", "partner_agency").order_by("pk"))
    indicators = list(
        project.indicators.select_related("reported_by").prefetch_related(
            Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on"))
        )
    )
    assessment = (
        CommissioningAssessment.objects.select_related("assessed_by")
        .filter(project=project)
        .first()
    )
    signoffs = signoffs_for_project(project=project)
    gate_signoffs = []
    for stage in (Project.Stage.DESIGN, Project.Stage.COMMISSION):
        request = signoffs.get((SignOffRequest.Kind.STAGE_GATE, gate_signoff_key(stage)))
        current = (
            request is not None
            and request.status == SignOffRequest.Status.APPROVED
            and project.stage == stage
            and request.decided_at >= project.stage_entered_at
        )
        gate_signoffs.append(
            GateSignoff(
                stage=stage,
                label=f"Leaving {Project.Stage(stage).label.lower()}",
                request=request,
                current=current,
            )
        )
    line_signoffs = {
        line.pk: signoffs[(line.signoff_kind, line.signoff_key)]
        for line in lines
        if (line.signoff_kind, line.signoff_key) in signoffs
    }
    page = ProjectPage(
        project=project,
        roster=roster,
        roster_by_role=_count_by(roster, "role", RosterEntry.Role),
        roster_by_level=_count_by(roster, "participation_level", ParticipationLevel),
        roster_hours=sum((entry.hours for entry in roster), Decimal(0)),
        documents=documents,
        transitions=transitions,
        funding=funding_summary(lines),
        line_signoffs=line_signoffs,
        indicators=[indicator_progress(indicator) for indicator in indicators],
        assessment=assessment,
        gate_signoffs=gate_signoffs,
        next_stage=stage_after(project.stage),
        previous_stage=stage_before(project.stage),
    )
    if page.next_stage is not None:
        # The gate reads what the page has already loaded.
        context = GateContext(project=project, leaving=project.stage, entering=page.next_stage)
        context.roster = roster
        context.documents = documents
        context.funding = lines
        context.signoffs = signoffs
        context.assessment = assessment
        context.indicators = indicators
        page.conditions = gates.evaluate(context)
    return page


def _account_role(user) -> str:
    """The person's most senior role, from their prefetched groups."""
    held = {group.name for group in user.groups.all()}
    for role in ROLE_ORDER:
        if role in held:
            return str(role.label)
    return ""


def _count_by(entries: list[RosterEntry], attribute: str, choices) -> list[tuple[str, int]]:
    counts = Counter(getattr(entry, attribute) for entry in entries)
    return [(choice.label, counts[choice.value]) for choice in choices if counts[choice.value]]


def gate_signoff_pending(*, project: Project) -> SignOffRequest | None:
    if project.stage not in SIGNOFF_STAGES:
        return None
    request = signoffs_for_project(project=project).get(
        (SignOffRequest.Kind.STAGE_GATE, gate_signoff_key(project.stage))
    )
    if request is not None and request.status == SignOffRequest.Status.PENDING:
        return request
    return None


# Funding and leverage ---------------------------------------------------------------


def funding_line_list_for_user(*, user) -> QuerySet[FundingLine]:
    """The ledger's lines of the projects a person may see."""
    return funding_line_list().filter(project__in=project_list_visible(user=user).values("pk"))


def budget_choices_for_project(*, project: Project) -> QuerySet[Budget]:
    """Devolved budgets a project may draw on: those for its areas, the areas they lie
    in, or areas within them."""
    areas = Area.objects.filter(pk__in=project.areas.values("pk"))
    reach = Area.objects.filter(
        Q(pk__in=areas.with_ancestors().values("pk")) | Q(pk__in=areas.with_descendants())
    )
    return (
        Budget.objects.filter(area__in=reach)
        .select_related("area")
        .order_by("-financial_year", "name")
    )


@dataclass(frozen=True)
class AreaLeverage:
    area: Area | None
    # Committed from the council's devolved budgets, and levered from partners and match
    # funders.
    devolved: Decimal
    levered: Decimal
    leverage: Decimal | None


# Each project's areas mapped to the area partnership (kind "area") they lie in, once per
# project and partnership however many of its wards the project serves; then its
# committed money summed per partnership. Plain SQL: the ORM cannot join a DISTINCT
# subquery, and a correlated subquery per area is orders of magnitude slower.
LEVERAGE_BY_AREA_SQL = """
    SELECT served.group_id,
           SUM(CASE WHEN line.source IN ({devolved}) THEN line.amount ELSE 0 END),
           SUM(CASE WHEN line.source IN ({levered}) THEN line.amount ELSE 0 END)
    FROM (
        SELECT DISTINCT link.project_id,
               CASE WHEN area.kind = 'area' THEN area.id
                    WHEN area.kind = 'ward' THEN area.parent_id
                    WHEN area.kind = 'lsoa' THEN parent.parent_id
               END AS group_id
        FROM projects_project_areas link
        JOIN communities_area area ON area.id = link.area_id
        LEFT JOIN communities_area parent ON parent.id = area.parent_id
        WHERE link.project_id IN ({visible})
    ) served
    JOIN projects_fundingline line
      ON line.project_id = served.project_id AND line.status = %s
    WHERE served.group_id IN ({groups})
    GROUP BY served.group_id
"""


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def leverage_by_area(*, user) -> list[AreaLeverage]:
    """Committed money per area partnership (an area and everything in it) visible to the
    person: from devolved budgets, levered, and the leverage between them.

    One aggregate query in the database. A project serving two areas counts in both, so
    the areas do not add up to the council's total.
    """
    groups = list(area_scope_for_reading(user=user).filter(kind=Area.Kind.AREA).order_by("name"))
    if not groups:
        return []
    visible_sql, visible_params = (
        project_list_visible(user=user).values("pk").query.sql_with_params()
    )
    devolved_sources = sorted(FundingLine.DEVOLVED_SOURCES)
    levered_sources = sorted(FundingLine.LEVERED_SOURCES)
    sql = LEVERAGE_BY_AREA_SQL.format(
        devolved=_placeholders(devolved_sources),
        levered=_placeholders(levered_sources),
        visible=visible_sql,
        groups=_placeholders(groups),
    )
    params = [
        *[str(source) for source in devolved_sources],
        *[str(source) for source in levered_sources],
        *visible_params,
        FundingLine.Status.COMMITTED.value,
        *[group.pk for group in groups],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        totals = {row[0]: (Decimal(row[1] or 0), Decimal(row[2] or 0)) for row in cursor}
    rows = []
    for group in groups:
        devolved, levered = totals.get(group.pk, (Decimal(0), Decimal(0)))
        rows.append(
            AreaLeverage(
                area=group,
                devolved=devolved,
                levered=levered,
                leverage=leverage_ratio(devolved=devolved, levered=levered),
            )
        )
    return rows


def leverage_overall(*, user) -> AreaLeverage:
    """The same figures across every project the person may see."""
    lines = FundingLine.objects.committed().filter(
        project__in=project_list_visible(user=user).values("pk")
    )
    totals = lines.aggregate(
        devolved=Sum("amount", filter=Q(source__in=FundingLine.DEVOLVED_SOURCES)),
        levered=Sum("amount", filter=Q(source__in=FundingLine.LEVERED_SOURCES)),
    )
    devolved, levered = totals["devolved"] or Decimal(0), totals["levered"] or Decimal(0)
    return AreaLeverage(
        area=None,
        devolved=devolved,
        levered=levered,
        leverage=leverage_ratio(devolved=devolved, levered=levered),
    )


# Roster candidates ------------------------------------------------------------------

SEARCH_LIMIT = 20
# Fewer characters would match most of the borough.
SEARCH_MIN_LENGTH = 2


def participant_search(*, user, project: Project, query: str) -> list[Participant]:
    """Residents the person may add to the roster: those living in the areas they cover
    (any, for administrators), matching a name, email or reference, not yet on it."""
    query = query.strip()
    if len(query) < SEARCH_MIN_LENGTH:
        return []
    participants = Participant.objects.filter(erased_at__isnull=True)
    if not user.has_role(Role.ADMINISTRATOR):
        participants = participants.filter(home_ward__in=area_list_for_user(user=user))
    return list(
        participants.filter(
            Q(full_name__icontains=query) | Q(email__iexact=query) | Q(reference__iexact=query)
        )
        .exclude(roster_entries__project=project)
        .select_related("home_ward")
        .order_by("full_name", "pk")[:SEARCH_LIMIT]
    )


ROSTER_ACCOUNT_ROLES = [Role.OFFICER, Role.ELECTED_MEMBER, Role.BOARD_MEMBER, Role.PARTNER_AGENCY]


def account_search(*, project: Project, query: str) -> list[User]:
    """Staff, councillors, board members and partners' staff working where the project
    is (its areas, the areas around them or within them), matching a name or email."""
    query = query.strip()
    if len(query) < SEARCH_MIN_LENGTH:
        return []
    areas = Area.objects.filter(pk__in=project.areas.values("pk"))
    reach = Area.objects.filter(
        Q(pk__in=areas.with_ancestors().values("pk")) | Q(pk__in=areas.with_descendants())
    )
    return list(
        User.objects.filter(
            Q(full_name__icontains=query) | Q(email__iexact=query),
            is_active=True,
            groups__name__in=ROSTER_ACCOUNT_ROLES,
            areas__in=reach,
        )
        .exclude(roster_entries__project=project)
        .distinct()
        .order_by("full_name", "pk")[:SEARCH_LIMIT]
    )


def participant_for_roster(*, user, pk) -> Participant:
    """A resident the person may add, by id from a search result (never unscoped)."""
    participants = Participant.objects.filter(erased_at__isnull=True)
    if not user.has_role(Role.ADMINISTRATOR):
        participants = participants.filter(home_ward__in=area_list_for_user(user=user))
    return participants.get(pk=pk)


def account_for_roster(*, project: Project, pk) -> User:
    areas = Area.objects.filter(pk__in=project.areas.values("pk"))
    reach = Area.objects.filter(
        Q(pk__in=areas.with_ancestors().values("pk")) | Q(pk__in=areas.with_descendants())
    )
    return (
        User.objects.filter(is_active=True, groups__name__in=ROSTER_ACCOUNT_ROLES, areas__in=reach)
        .distinct()
        .get(pk=pk)
    )


# Public pages -----------------------------------------------------------------------


def project_list_public() -> QuerySet[Project]:
    return (
        Project.objects.published()
        .select_related("service_area")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))
        .order_by("-published_at", "-pk")
    )


def project_get_public(*, pk) -> Project:
    return Project.objects.published().select_related("service_area").get(pk=pk)


@dataclass(frozen=True)
class PublicProjectPage:
    project: Project
    areas: list[Area]
    timeline: list[StageTransition]
    funding: FundingSummary
    indicators: list[IndicatorProgress]
    roster_count: int
    resident_count: int
    roster_hours: Decimal


def project_public_page(*, project: Project) -> PublicProjectPage:
    """What the public page shows: no names, no contact details, counts only."""
    roster = project.roster.aggregate(
        people=Count("pk"),
        residents=Count("pk", filter=Q(participant__isnull=False)),
        hours=Sum("hours"),
    )
    indicators = project.indicators.prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("measured_on"))
    )
    return PublicProjectPage(
        project=project,
        areas=list(project.areas.order_by("name")),
        timeline=list(
            project.transitions.only("from_stage", "to_stage", "direction", "occurred_at")
        ),
        funding=funding_summary(list(project.funding.filter(status=FundingLine.Status.COMMITTED))),
        indicators=[indicator_progress(indicator) for indicator in indicators],
        roster_count=roster["people"],
        resident_count=roster["residents"],
        roster_hours=roster["hours"] or Decimal(0),
    )


def indicator_for_project(*, project: Project, pk) -> Indicator:
    return Indicator.objects.get(project=project, pk=pk)


# The partner API ----------------------------------------------------------------------


# What the API's project list shows of a project's related rows (projects.api.serializers).
AREA_SHOWN = ("name", "kind", "gss_code")
AGENCY_SHOWN = ("name", "kind")
RELATED_UNSHOWN = (
    "lead_officer__password",
    "lead_officer__last_login",
    "lead_officer__is_superuser",
    "lead_officer__is_staff",
    "lead_officer__date_joined",
    "lead_officer__session_version",
    "lead_officer__updated_at",
    "service_area__created_at",
    "service_area__updated_at",
)


def project_list_for_api(*, areas: QuerySet[Area], agency=None, user=None) -> QuerySet[Project]:
    """Projects for the partner API, with what its list shows loaded in one query per kind.

    An agency's client (`agency`) sees the projects in `areas` (its partnerships' areas
    and everything beneath them) and those it is a partner on; a person signed in to the
    site (`user`) sees what the project pages show them.
    """
    if user is not None:
        projects = project_list_visible(user=user)
    else:
        condition = Q(
            Exists(
                Project.areas.through.objects.filter(
                    project_id=OuterRef("pk"), area_id__in=areas.values("pk")
                )
            )
        )
        if agency is not None:
            condition |= Q(
                Exists(
                    Project.partner_agencies.through.objects.filter(
                        project_id=OuterRef("pk"), partneragency_id=agency.pk
                    )
                )
            )
        projects = Project.objects.filter(condition)
    # Lists in attributes (to_attr): Django then skips a queryset per project and relation.
    # Of the related rows only what the list shows is read (never the lead officer's
    # password hash, nor the times of areas and agencies).
    return (
        projects.select_related("service_area", "lead_officer")
        .defer(*RELATED_UNSHOWN)
        .prefetch_related(
            Prefetch(
                "areas",
                queryset=Area.objects.only(*AREA_SHOWN).order_by("name"),
                to_attr="area_list",
            ),
            Prefetch(
                "partner_agencies",
                queryset=PartnerAgency.objects.only(*AGENCY_SHOWN).order_by("name"),
                to_attr="partner_agency_list",
            ),
            Prefetch(
                "indicators",
                queryset=indicator_list_with_measurements(),
                to_attr="indicator_list",
            ),
        )
    )


def indicator_list_with_measurements() -> QuerySet[Indicator]:
    """Indicators with their agency and, in `measurement_list`, their readings in order."""
    return Indicator.objects.select_related("reported_by").prefetch_related(
        Prefetch(
            "measurements",
            queryset=Measurement.objects.order_by("measured_on", "pk"),
            to_attr="measurement_list",
        )
    )


def project_figures_attach(*, projects: list[Project], agency=None) -> None:
    """Sets `roster_by_role` ({role: count} of the people on the roster today, no names),
    `funding_by_source` (committed and spent by source) and `agency_is_partner_lead` (the
    agency has a named partner lead on the project today: a lead whose time on the roster
    has ended no longer opens the contact details) on each project: two queries whatever
    the number of projects."""
    by_pk = {project.pk: project for project in projects}
    for project in projects:
        project.roster_by_role = {}
        project.funding_by_source = {}
        project.agency_is_partner_lead = False
    if not by_pk:
        return
    ours = None
    if agency is not None:
        ours = Q(role=RosterEntry.Role.PARTNER_LEAD, user__partner_agency_id=agency.pk)
    today = timezone.localdate()
    roster = (
        RosterEntry.objects.filter(project_id__in=by_pk, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .order_by()
        .values("project_id", "role")
        .annotate(
            people=Count("pk"),
            ours=Count("pk", filter=ours) if ours is not None else Value(0),
        )
    )
    for row in roster:
        project = by_pk[row["project_id"]]
        project.roster_by_role[row["role"]] = row["people"]
        if row["ours"]:
            project.agency_is_partner_lead = True
    funding = (
        FundingLine.objects.filter(project_id__in=by_pk, status=FundingLine.Status.COMMITTED)
        .order_by()
        .values("project_id", "source")
        .annotate(committed=Sum("amount"), spent=Sum("spent"))
    )
    for row in funding:
        by_pk[row["project_id"]].funding_by_source[row["source"]] = (
            row["committed"],
            row["spent"],
        )


def indicator_list_for_api(*, projects: QuerySet[Project]) -> QuerySet[Indicator]:
    """Indicators of the projects given (already scoped to the caller)."""
    return (
        indicator_list_with_measurements()
        .select_related("project")
        .filter(project__in=projects.order_by().values("pk"))
    )
