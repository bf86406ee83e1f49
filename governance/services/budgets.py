"""Awards from devolved budgets (area budgets, councillors' neighbourhood budgets, small
grants), each a funding decision an elected member signs off."""

from decimal import Decimal

from django.db import transaction

from projects.models import Project

from ..audit import audit_record
from ..models import Budget, BudgetAward, SignOffRequest
from ..selectors import budget_list_with_totals
from ..signoffs import signoff_request
from .errors import GovernanceError

AWARD_KEY = "award"


@transaction.atomic
def budget_award_propose(
    *,
    budget: Budget,
    project: Project,
    amount: Decimal,
    purpose: str,
    requested_by,
    levered: Decimal = Decimal(0),
) -> BudgetAward:
    """Propose an award and ask an elected member to sign it off. Refused when it is more
    than a single grant may be, or more than is left once approved and pending awards are
    counted."""
    locked = Budget.objects.select_for_update().get(pk=budget.pk)
    if amount <= 0:
        raise GovernanceError("Enter an amount more than £0.")
    if levered < 0:
        raise GovernanceError("Match funding cannot be less than £0.")
    if locked.max_award is not None and amount > locked.max_award:
        raise GovernanceError(
            f"A single award from this budget is at most £{locked.max_award:,.2f}."
        )
    totals = budget_list_with_totals(budgets=Budget.objects.filter(pk=locked.pk)).get()
    left = locked.amount - totals.committed - totals.pending
    if amount > left:
        raise GovernanceError(
            f"Only £{left:,.2f} of this budget is left once approved and pending awards are "
            "counted."
        )
    award = BudgetAward.objects.create(
        budget=locked,
        project=project,
        amount=amount,
        levered=levered,
        purpose=purpose,
        requested_by=requested_by,
    )
    signoff_request(
        kind=SignOffRequest.Kind.FUNDING_DECISION,
        subject=award,
        key=AWARD_KEY,
        summary=f"£{amount:,.2f} from {locked} to {project.reference} {project.title}: {purpose}",
        requested_by=requested_by,
        areas=[locked.area],
        amount=amount,
    )
    audit_record(actor=requested_by, action="budget_award.proposed", obj=award)
    return award
