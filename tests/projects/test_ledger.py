"""The ledger: budgets' committed, pending, left and levered money, and leverage, read
from the funding lines alone."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from governance.models import Budget
from projects import ledger
from projects.figures import leverage_ratio
from projects.models import FundingLine
from tests.projects.factories import BudgetFactory, FundingLineFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area_budget(aap):
    return BudgetFactory(name="Northfield Central area budget", area=aap)


@pytest.fixture
def neighbourhood_budget(ward):
    return BudgetFactory(
        name="Neighbourhood budget: Cllr Tom Reid",
        kind=Budget.Kind.NEIGHBOURHOOD_BUDGET,
        amount=Decimal("25000"),
        area=ward,
    )


def levered(project, amount, source=FundingLine.Source.EXTERNAL_MATCH, **kwargs):
    return FundingLineFactory(
        project=project, source=source, funder_name="Lottery", amount=Decimal(amount), **kwargs
    )


def drawn(project, budget, amount, **kwargs):
    return FundingLineFactory(
        project=project,
        source=FundingLine.SOURCE_FOR_BUDGET_KIND[budget.kind],
        budget=budget,
        amount=Decimal(amount),
        **kwargs,
    )


def test_leverage_is_levered_money_per_pound_of_devolved_budgets():
    """Durham's AAPs: £1.72 from partners and match funders for every £1 they invested."""
    assert leverage_ratio(devolved=Decimal("100000"), levered=Decimal("172000")) == Decimal("1.72")
    assert leverage_ratio(devolved=Decimal("0"), levered=Decimal("5000")) is None


def test_budget_totals_count_committed_and_pending_lines_only(ward, area_budget):
    # given
    project = ProjectFactory(areas=[ward])
    drawn(project, area_budget, "10000")
    drawn(project, area_budget, "2500", status="awaiting_signoff", committed_on=None)
    drawn(project, area_budget, "7000", status="refused", committed_on=None)
    drawn(project, area_budget, "3000", status="withdrawn", committed_on=None)
    # when
    (row,) = ledger.budget_list_with_totals(budgets=Budget.objects.filter(pk=area_budget.pk))
    # then
    assert (row.committed, row.pending, row.left) == (
        Decimal("10000"),
        Decimal("2500"),
        Decimal("107500"),
    )


def test_a_projects_levered_money_is_shared_between_its_budgets_without_double_counting(
    ward, area_budget, neighbourhood_budget
):
    # given: £15,000 and £5,000 from two budgets; £34,400 of match and partner money
    project = ProjectFactory(areas=[ward])
    drawn(project, area_budget, "15000")
    drawn(project, neighbourhood_budget, "5000")
    levered(project, "24400")
    levered(project, "10000", source=FundingLine.Source.PARTNER)
    # Neither levered nor devolved: the council's service budget.
    FundingLineFactory(project=project, source="council_service", amount=Decimal("9000"))
    # when
    rows = {
        budget.pk: budget
        for budget in ledger.budget_list_with_totals(
            budgets=Budget.objects.filter(pk__in=[area_budget.pk, neighbourhood_budget.pk])
        )
    }
    # then
    assert rows[area_budget.pk].levered == Decimal("25800.00")
    assert rows[neighbourhood_budget.pk].levered == Decimal("8600.00")
    assert rows[area_budget.pk].leverage == Decimal("1.72")
    assert rows[area_budget.pk].levered + rows[neighbourhood_budget.pk].levered == Decimal("34400")


def test_a_pending_award_levers_nothing_yet(ward, area_budget):
    project = ProjectFactory(areas=[ward])
    drawn(project, area_budget, "5000", status="awaiting_signoff", committed_on=None)
    levered(project, "8000")
    (row,) = ledger.budget_list_with_totals(budgets=Budget.objects.filter(pk=area_budget.pk))
    assert (row.levered, row.leverage) == (Decimal(0), None)


def test_allocation_in_a_period_counts_lines_committed_in_it(ward, area_budget):
    # given
    today = timezone.localdate()
    in_period = ProjectFactory(areas=[ward])
    drawn(in_period, area_budget, "4000", committed_on=today)
    levered(in_period, "6000")
    earlier = ProjectFactory(areas=[ward])
    drawn(earlier, area_budget, "9000", committed_on=today - datetime.timedelta(days=400))
    levered(earlier, "9000")
    # when
    allocation = ledger.allocation_in_period(
        budgets=Budget.objects.filter(pk=area_budget.pk),
        start=today - datetime.timedelta(days=60),
        end=today,
    )
    # then
    assert (allocation.allocated, allocation.levered, allocation.leverage) == (
        Decimal("4000"),
        Decimal("6000.00"),
        Decimal("1.50"),
    )


def test_budget_totals_take_two_queries_whatever_the_number_of_lines(
    ward, area_budget, neighbourhood_budget, django_assert_num_queries
):
    # given: no lines yet
    with django_assert_num_queries(2):
        ledger.budget_list_with_totals(budgets=Budget.objects.all())
    for n in range(6):
        project = ProjectFactory(areas=[ward])
        drawn(project, area_budget, 100 + n)
        drawn(project, neighbourhood_budget, 50 + n)
        levered(project, 300)
    budgets = Budget.objects.all()
    # budgets with committed and pending; their committed lines by budget and project,
    # with those projects' devolved and levered money
    with django_assert_num_queries(2):
        rows = ledger.budget_list_with_totals(budgets=budgets)
    assert len(rows) == 2
