"""Two officers drawing on the same devolved budget at the same moment: the budget's row
lock lets one through and refuses the other, so the budget is never over-committed.
PostgreSQL only (SQLite serialises writers, so there is no race to lose there)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from governance.models import Budget
from projects import ledger, services
from projects.models import FundingLine
from tests.projects.factories import BudgetFactory
from tests.services import postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql("the race needs PostgreSQL's row locking"),
]


def race(*calls) -> tuple[list, list]:
    """Run the calls in threads released together; their results and their errors."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call) -> None:
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # collected and asserted by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_two_awards_at_once_never_overcommit_the_budget(project, officer, aap):
    # given: £4,000 left, two awards of £3,000 asked for at the same moment
    budget = BudgetFactory(name="Race area budget", amount=Decimal("4000"), area=aap)

    def propose():
        return services.funding_line_create(
            project=project,
            created_by=officer,
            source=FundingLine.Source.AREA_BUDGET,
            budget=budget,
            amount=Decimal("3000"),
        )

    # when
    results, errors = race(propose, propose)
    # then
    assert len(results) == 1
    assert [type(error) for error in errors] == [services.ProjectRuleError]
    assert "left to commit" in errors[0].messages[0]
    (row,) = ledger.budget_list_with_totals(budgets=Budget.objects.filter(pk=budget.pk))
    assert (row.pending, row.left) == (Decimal("3000"), Decimal("1000"))


def test_two_raises_at_once_never_overcommit_the_budget(project, officer, aap):
    # given: two pending awards of £1,500 on a £4,000 budget, both raised to £2,500 at once
    budget = BudgetFactory(name="Race area budget", amount=Decimal("4000"), area=aap)
    lines = [
        services.funding_line_create(
            project=project,
            created_by=officer,
            source=FundingLine.Source.AREA_BUDGET,
            budget=budget,
            amount=Decimal("1500"),
        )
        for _ in range(2)
    ]

    def raise_to_2500(line):
        return lambda: services.funding_line_update(
            line=line,
            updated_by=officer,
            expected_version=line.version,
            description="",
            spent=Decimal(0),
            amount=Decimal("2500"),
        )

    # when
    results, errors = race(*[raise_to_2500(line) for line in lines])
    # then
    assert len(results) == 1, errors
    assert [type(error) for error in errors] == [services.ProjectRuleError]
    amounts = sorted(FundingLine.objects.filter(budget=budget).values_list("amount", flat=True))
    assert amounts == [Decimal("1500"), Decimal("2500")]
    (row,) = ledger.budget_list_with_totals(budgets=Budget.objects.filter(pk=budget.pk))
    assert (row.pending, row.left) == (Decimal("4000"), Decimal("0"))
