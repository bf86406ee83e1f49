"""The demo council's projects: every stage, the five seed programmes.

The demo is built once for the module (tests.module_data.seeded_demo); each test reads it
in a transaction of its own.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command

from engagement.models import Participant, ParticipationRecord
from governance.models import Budget, SignOffRequest
from governance.signoffs import signoff_is_approved
from projects.gates import SIGNOFF_STAGES, gate_signoff_key
from projects.ledger import budget_list_with_totals
from projects.models import FundingLine, Project, RosterEntry, StageTransition
from projects.selectors import funding_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(seeded_demo):
    return seeded_demo


def counts() -> tuple:
    return tuple(
        model.objects.count()
        for model in (
            Project,
            RosterEntry,
            FundingLine,
            StageTransition,
            SignOffRequest,
            Participant,
            ParticipationRecord,
        )
    )


def test_demo_has_projects_in_every_stage(demo):
    stages = set(Project.objects.values_list("stage", flat=True))
    assert stages == set(Project.Stage.values)


def test_demo_projects_reached_their_stage_through_signed_off_gates(demo):
    """No project stands past a stage it never left: each stage before its own was left
    by a recorded move, and each gate a member signs off was signed off."""
    order = [Project.Stage.DESIGN, Project.Stage.COMMISSION, Project.Stage.DELIVER]
    order += [Project.Stage.EVALUATE, Project.Stage.CLOSED]
    for project in Project.objects.prefetch_related("transitions"):
        left = {t.from_stage for t in project.transitions.all() if t.direction == "forward"}
        if project.stage in order:
            assert left >= set(order[: order.index(project.stage)]), project.reference
        for stage in left & SIGNOFF_STAGES:
            assert signoff_is_approved(
                subject=project, kind=SignOffRequest.Kind.STAGE_GATE, key=gate_signoff_key(stage)
            ), (project.reference, stage)
        assert project.lead_officer_id, project.reference


def test_demo_is_idempotent(demo):
    before = counts()
    call_command("seed_demo", "--force", stdout=None)
    assert counts() == before


def test_demo_aap_project_levers_match_funding(demo):
    """Durham: area and neighbourhood budgets with match funding, £1.72 levered per £1."""
    hall = Project.objects.get(reference="DEMO-AAP-01")
    summary = funding_summary(list(hall.funding.all()))
    assert (summary.devolved, summary.levered) == (Decimal("20000"), Decimal("34400"))
    assert summary.leverage == Decimal("1.72")
    decisions = SignOffRequest.objects.filter(
        kind="funding_decision", key__in=[f"funding:{line.pk}" for line in hall.funding.all()]
    )
    assert set(decisions.values_list("status", flat=True)) == {"approved"}
    # The councillor whose neighbourhood budget it is did not decide its award.
    neighbourhood = hall.funding.get(source="neighbourhood_budget")
    decision = decisions.get(key=neighbourhood.signoff_key)
    assert decision.decided_by != neighbourhood.budget.holder


def test_demo_area_budget_shows_its_leverage(demo):
    """The Durham-style £120,000 area budget: committed, pending and levered money."""
    (budget,) = budget_list_with_totals(
        budgets=Budget.objects.filter(name="Northfield Central area budget").order_by(
            "-financial_year"
        )[:1]
    )
    assert budget.amount == Decimal("120000")
    assert budget.committed > 0
    assert budget.pending > 0
    assert budget.levered > budget.committed
    assert Budget.objects.filter(kind="neighbourhood_budget", amount=25000).count() >= 18


def test_demo_small_grant_project_shows_the_fall_in_anti_social_behaviour(demo):
    club = Project.objects.get(reference="DEMO-SN-01")
    calls = club.indicators.get(name="Calls to the police about anti-social behaviour")
    assert calls.baseline_value == Decimal("5899")
    assert calls.measurements.last().value == Decimal("3666")
    grant = club.funding.get()
    assert (grant.is_grant, grant.amount, grant.budget.max_award, grant.status) == (
        True,
        Decimal("500"),
        Decimal("2500"),
        "committed",
    )
    assert grant.budget.kind == "small_grants"


def test_demo_street_champions_reach_78_percent_satisfaction(demo):
    champions = Project.objects.get(reference="DEMO-SS-01")
    satisfaction = champions.indicators.get(name__startswith="Residents satisfied")
    assert satisfaction.measurements.last().value == Decimal("78")
    assert champions.roster.filter(role="street_champion").count() == 5


def test_demo_rosters_use_the_demo_residents(demo):
    residents = Participant.objects.filter(user__email__startswith="resident.")
    assert residents.exists()
    assert RosterEntry.objects.filter(participant__in=residents).count() >= 20
    assert (
        # Task-and-finish groups (governance) are rosters too, without a project.
        ParticipationRecord.objects.filter(kind="roster", project__isnull=False).count()
        == RosterEntry.objects.filter(participant__isnull=False).count()
    )


def test_demo_timelines_are_dated_back(demo):
    closed = Project.objects.get(reference="DEMO-SN-01")
    first = closed.transitions.first()
    assert first.occurred_at.year == 2023
    assert closed.stage_entered_at.year in {2024, 2025}


def test_demo_shows_a_tokenistic_project(demo):
    assert Project.objects.get(reference="DEMO-LIB-01").is_tokenistic
