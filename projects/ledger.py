"""The ledger of project money: what each devolved budget has committed, holds for
pending decisions and has left, and the match funding it levered.

`projects.FundingLine` is the one record of money drawn from the council's devolved
budgets (area budgets, councillors' neighbourhood budgets, small grants funds) and of the
partner and match money projects bring in. The governance pages (a councillor's budgets,
a partnership's budgets and awards, the Cabinet update) and the project pages (funding,
leverage per project and per area, 360Giving) all read it through here.

Leverage is the money levered (committed partner contributions and external match
funding) for each £1 committed from devolved budgets. A budget's levered money is its
lines' share of their projects' levered money, in proportion to what each line gives
of its project's devolved money, so that nothing is counted twice across budgets.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from governance.models import Budget

from .figures import PENCE, leverage_ratio
from .models import FundingLine

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal("0.00")


def funding_line_list() -> QuerySet[FundingLine]:
    """Every line with what the pages and exports show of it (one query)."""
    return FundingLine.objects.select_related(
        "project", "budget", "budget__holder", "partner_agency"
    ).order_by("project__reference", "pk")


def _budget_sum(status: str) -> Coalesce:
    total = (
        FundingLine.objects.filter(budget=OuterRef("pk"), status=status)
        .order_by()
        .values("budget")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total, output_field=MONEY), ZERO, output_field=MONEY)


def budget_list_with_totals(*, budgets: QuerySet[Budget]) -> list[Budget]:
    """The budgets, each with `committed` (lines signed off and committed), `pending`
    (lines waiting for a member's decision, which the budget holds for them), `left` and
    `levered` (the match funding its committed lines brought in). Two queries."""
    rows = list(
        budgets.annotate(
            committed=_budget_sum(FundingLine.Status.COMMITTED),
            pending=_budget_sum(FundingLine.Status.AWAITING_SIGNOFF),
        ).annotate(
            left=ExpressionWrapper(F("amount") - F("committed") - F("pending"), output_field=MONEY)
        )
    )
    levered = levered_by(
        lines=FundingLine.objects.filter(budget__in=[budget.pk for budget in rows]),
        key="budget_id",
    )
    for budget in rows:
        budget.levered = levered.get(budget.pk, ZERO)
        budget.leverage = leverage_ratio(devolved=budget.committed, levered=budget.levered)
    return rows


def budget_held(
    *, budget: Budget, excluding: FundingLine | None = None, project_id: int | None = None
) -> Decimal:
    """What a budget has committed or holds for pending decisions (for one project, when
    given), apart from one line. Call with the budget's row locked to decide whether a
    line fits."""
    lines = FundingLine.objects.filter(
        budget=budget,
        status__in=[FundingLine.Status.COMMITTED, FundingLine.Status.AWAITING_SIGNOFF],
    )
    if project_id is not None:
        lines = lines.filter(project_id=project_id)
    if excluding is not None and excluding.pk is not None:
        lines = lines.exclude(pk=excluding.pk)
    return lines.aggregate(total=Sum("amount"))["total"] or ZERO


def _project_sum(sources) -> Coalesce:
    total = (
        FundingLine.objects.committed()
        .filter(project=OuterRef("project_id"), source__in=sources)
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total, output_field=MONEY), ZERO, output_field=MONEY)


def levered_by(*, lines: QuerySet[FundingLine], key: str) -> dict:
    """The levered money of the committed devolved lines among `lines`, summed by `key`
    (a field of the line, e.g. "budget_id"). One query, whatever the number of lines."""
    drawn = (
        lines.committed()
        .devolved()
        .order_by()
        .values(key, "project_id")
        .annotate(
            amount=Sum("amount"),
            project_devolved=_project_sum(FundingLine.DEVOLVED_SOURCES),
            project_levered=_project_sum(FundingLine.LEVERED_SOURCES),
        )
    )
    totals: dict = defaultdict(Decimal)
    for row in drawn:
        if row["project_devolved"]:
            totals[row[key]] += row["amount"] * row["project_levered"] / row["project_devolved"]
    return {name: total.quantize(PENCE) for name, total in totals.items()}


@dataclass(frozen=True)
class Allocation:
    """Money committed from some budgets in a period and the match funding it levered."""

    allocated: Decimal
    levered: Decimal
    leverage: Decimal | None


def allocation_in_period(*, budgets: QuerySet[Budget], start: date, end: date) -> Allocation:
    """What was committed from these budgets between `start` and `end` (inclusive), and
    the match funding those lines levered (Durham's cabinet: money allocated and
    levered). Two queries."""
    lines = FundingLine.objects.filter(
        budget__in=budgets, committed_on__gte=start, committed_on__lte=end
    )
    allocated = lines.committed().aggregate(total=Sum("amount"))["total"] or ZERO
    levered = sum(levered_by(lines=lines, key="budget_id").values(), ZERO)
    return Allocation(
        allocated=allocated,
        levered=levered,
        leverage=leverage_ratio(devolved=allocated, levered=levered),
    )
