"""The conditions a project must meet to leave a stage: one registry of checks.

`project_advance` (projects.services) runs every check that applies to the move and
refuses it while any condition is unmet, naming each one. The checks of this app are
below; another app adds its own in its `gates.py` (imported when Django starts):

    from projects.gates import Condition, GateContext, gate_check
    from projects.models import Project

    @gate_check("engagement.volunteer_risk_assessments", entering={Project.Stage.DELIVER})
    def volunteer_tasks_risk_assessed(context: GateContext) -> list[Condition]:
        ...  # one Condition per thing checked, met or not, saying what is missing

A check returns a Condition, a list of them, or None when it does not apply to this
project. It reads only: checks run inside the transaction that moves the project, with
its row locked, and again (outside it) to draw the gate page.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from governance.models import SignOffRequest

from .models import (
    CommissioningAssessment,
    FundingLine,
    Project,
    ProjectDocument,
    RosterEntry,
    stage_after,
)

# Leaving these stages needs an elected member's sign-off (SignOffRequest.Kind.STAGE_GATE).
SIGNOFF_STAGES = frozenset({Project.Stage.DESIGN, Project.Stage.COMMISSION})


def gate_signoff_key(stage: str) -> str:
    return f"stage:{stage}"


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    met: bool
    # What is missing, in words an officer can act on (empty when met).
    missing: str = ""
    # Where to put it right, if there is a page for it.
    action_url: str = ""
    action_label: str = ""

    def as_record(self) -> dict:
        return {"code": self.code, "label": str(self.label), "met": self.met}


@dataclass
class GateContext:
    """A project about to leave `leaving` for `entering`, with what the checks read
    loaded once and shared between them."""

    project: Project
    leaving: str
    entering: str
    today: object = field(default_factory=timezone.localdate)

    @cached_property
    def roster(self) -> list[RosterEntry]:
        return list(self.project.roster.all())

    @cached_property
    def current_roster(self) -> list[RosterEntry]:
        return [entry for entry in self.roster if entry.is_current(self.today)]

    @cached_property
    def documents(self) -> list[ProjectDocument]:
        return list(self.project.documents.all())

    @cached_property
    def funding(self) -> list[FundingLine]:
        return list(self.project.funding.all())

    @cached_property
    def signoffs(self) -> dict[tuple[str, str], SignOffRequest]:
        """The latest sign-off request for each (kind, key) about this project."""
        requests = SignOffRequest.objects.filter(
            subject_type=ContentType.objects.get_for_model(Project),
            subject_id=self.project.pk,
        ).select_related("decided_by", "requested_by")
        latest: dict[tuple[str, str], SignOffRequest] = {}
        for request in requests.order_by("requested_at", "pk"):
            latest[(request.kind, request.key)] = request
        return latest

    @cached_property
    def assessment(self) -> CommissioningAssessment | None:
        return CommissioningAssessment.objects.filter(project=self.project).first()

    @cached_property
    def indicators(self) -> list:
        return list(self.project.indicators.prefetch_related("measurements"))

    def url(self, name: str) -> str:
        return reverse(f"projects:{name}", args=[self.project.pk])


Check = Callable[[GateContext], Condition | Iterable[Condition] | None]


@dataclass(frozen=True)
class RegisteredCheck:
    code: str
    func: Check
    leaving: frozenset[str] | None
    entering: frozenset[str] | None

    def applies(self, context: GateContext) -> bool:
        if self.leaving is not None and context.leaving not in self.leaving:
            return False
        return not (self.entering is not None and context.entering not in self.entering)


class GateRegistry:
    def __init__(self) -> None:
        self.checks: dict[str, RegisteredCheck] = {}

    def register(
        self,
        code: str,
        *,
        leaving: Iterable[str] | None = None,
        entering: Iterable[str] | None = None,
    ) -> Callable[[Check], Check]:
        """Register a check for moves leaving or entering the given stages (any if None)."""

        def add(func: Check) -> Check:
            self.checks[code] = RegisteredCheck(
                code=code,
                func=func,
                leaving=frozenset(leaving) if leaving is not None else None,
                entering=frozenset(entering) if entering is not None else None,
            )
            return func

        return add

    def evaluate(self, context: GateContext) -> list[Condition]:
        conditions: list[Condition] = []
        for check in self.checks.values():
            if not check.applies(context):
                continue
            outcome = check.func(context)
            if outcome is None:
                continue
            if isinstance(outcome, Condition):
                conditions.append(outcome)
            else:
                conditions.extend(outcome)
        return conditions


gates = GateRegistry()
gate_check = gates.register


def gate_conditions(project: Project) -> list[Condition]:
    """Every condition for moving the project on to its next stage ([] if none is next)."""
    entering = stage_after(project.stage)
    if entering is None:
        return []
    return gates.evaluate(GateContext(project=project, leaving=project.stage, entering=entering))


def autodiscover() -> None:
    autodiscover_modules("gates")


# This app's checks -------------------------------------------------------------------


FORWARD_FROM = [
    Project.Stage.DESIGN,
    Project.Stage.COMMISSION,
    Project.Stage.DELIVER,
    Project.Stage.EVALUATE,
]


@gate_check("projects.residents_decision", leaving=FORWARD_FROM)
def residents_decision_recorded(context: GateContext) -> Condition:
    stage_label = Project.Stage(context.leaving).label.lower()
    met = any(
        doc.stage == context.leaving and doc.kind == ProjectDocument.Kind.DECISION
        for doc in context.documents
    )
    return Condition(
        code="projects.residents_decision",
        label=f"What residents decided in {stage_label} is recorded",
        met=met,
        missing=(
            ""
            if met
            else f"Record what residents decided during {stage_label}, with any "
            "documents or links that show it."
        ),
        action_url=context.url("document_add"),
        action_label="Add evidence",
    )


@gate_check("projects.roster_roles", leaving=FORWARD_FROM)
def roster_roles_present(context: GateContext) -> list[Condition]:
    current = context.current_roster
    has_lead = any(entry.role == RosterEntry.Role.STAFF_LEAD for entry in current)
    has_resident = any(entry.is_resident for entry in current)
    roster_url = context.url("roster_add")
    return [
        Condition(
            code="projects.roster_staff_lead",
            label="A staff lead is on the roster",
            met=has_lead,
            missing="" if has_lead else "Add a member of staff to the roster as staff lead.",
            action_url=roster_url,
            action_label="Add someone to the roster",
        ),
        Condition(
            code="projects.roster_resident",
            label="At least one resident is on the roster",
            met=has_resident,
            missing=(
                ""
                if has_resident
                else "Add at least one resident to the roster: co-production needs "
                "residents taking part, not only staff."
            ),
            action_url=roster_url,
            action_label="Add someone to the roster",
        ),
    ]


@gate_check("projects.stage_signoff", leaving=SIGNOFF_STAGES)
def stage_signed_off(context: GateContext) -> Condition:
    stage_label = Project.Stage(context.leaving).label.lower()
    request = context.signoffs.get(
        (SignOffRequest.Kind.STAGE_GATE, gate_signoff_key(context.leaving))
    )
    met = (
        request is not None
        and request.status == SignOffRequest.Status.APPROVED
        and request.decided_at is not None
        and request.decided_at >= context.project.stage_entered_at
    )
    if met:
        missing = ""
    elif request is None:
        missing = f"Ask an elected member to sign off leaving {stage_label}."
    elif request.status == SignOffRequest.Status.PENDING:
        missing = (
            f"An elected member has been asked to sign off leaving {stage_label}; "
            "the decision is awaited."
        )
    elif request.status == SignOffRequest.Status.REJECTED:
        reason = f": {request.comment}" if request.comment else ""
        missing = (
            f"An elected member rejected leaving {stage_label}{reason}. Ask again once "
            "it is put right."
        )
    else:
        missing = (
            f"Ask an elected member to sign off leaving {stage_label}: the last sign-off "
            "was given before the project came back to this stage."
        )
    return Condition(
        code="projects.stage_signoff",
        label=f"An elected member has signed off leaving {stage_label}",
        met=met,
        missing=missing,
        action_url="" if met else context.url("signoff_request"),
        action_label="Ask for sign-off",
    )


@gate_check("projects.spend_signed_off", leaving=FORWARD_FROM)
def spend_signed_off(context: GateContext) -> Condition:
    waiting = [
        line
        for line in context.funding
        if line.status == FundingLine.Status.AWAITING_SIGNOFF and line.is_council_money
    ]
    met = not waiting
    missing = ""
    if waiting:
        listed = "; ".join(f"£{line.amount:,.2f} from {line.funder_label}" for line in waiting)
        missing = (
            "Council money waits for an elected member's decision (a funding decision from "
            f"a devolved budget, or spend over the threshold): {listed}. Get it signed "
            "off, or withdraw it."
        )
    return Condition(
        code="projects.spend_signed_off",
        label="Council money waiting for a decision is signed off",
        met=met,
        missing=missing,
        action_url="" if met else context.url("detail") + "#funding",
        action_label="See the funding",
    )


@gate_check("projects.commissioning_assessment", leaving=[Project.Stage.COMMISSION])
def commissioning_assessed(context: GateContext) -> Condition:
    assessment = context.assessment
    met = assessment is not None and bool(assessment.decision)
    if met:
        missing = ""
    elif assessment is None:
        missing = (
            "Assess whether the community can deliver the service or part of it "
            "(capacity, skills, governance, insurance, risks) and record the decision."
        )
    else:
        missing = "Record the commissioning decision and the reason for it."
    return Condition(
        code="projects.commissioning_assessment",
        label="The commissioning assessment has a decision",
        met=met,
        missing=missing,
        action_url=context.url("assessment"),
        action_label="Assess the community's capacity",
    )


@gate_check("projects.outcome_indicators", leaving=[Project.Stage.COMMISSION])
def outcome_indicators_set(context: GateContext) -> Condition:
    met = bool(context.indicators)
    return Condition(
        code="projects.outcome_indicators",
        label="At least one outcome indicator has a baseline",
        met=met,
        missing=(
            ""
            if met
            else "Set at least one outcome, demand or cost indicator with its baseline "
            "before delivery starts, so that the evaluation can show what changed."
        ),
        action_url=context.url("indicator_add"),
        action_label="Add an indicator",
    )


@gate_check("projects.outcomes_measured", leaving=[Project.Stage.EVALUATE])
def outcomes_measured(context: GateContext) -> Condition:
    unmeasured = [
        indicator.name
        for indicator in context.indicators
        if not any(m.measured_on > indicator.baseline_on for m in indicator.measurements.all())
    ]
    met = bool(context.indicators) and not unmeasured
    if met:
        missing = ""
    elif not context.indicators:
        missing = "Add an indicator and measure it since its baseline."
    else:
        missing = "Record a measurement since the baseline for: " + ", ".join(unmeasured) + "."
    return Condition(
        code="projects.outcomes_measured",
        label="Every indicator is measured since its baseline",
        met=met,
        missing=missing,
        action_url=context.url("detail") + "#outcomes",
        action_label="See the outcomes",
    )
