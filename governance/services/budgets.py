"""Awards from devolved budgets (area budgets, councillors' neighbourhood budgets, small
grants funds): funding lines on a project drawing on the budget (projects.FundingLine, the
one ledger of this money), each a funding decision an elected member signs off."""

from decimal import Decimal

from django.db import transaction

from projects.models import FundingLine, Project
from projects.services import funding_line_create, funding_line_request_signoff

from ..models import Budget


@transaction.atomic
def budget_award_propose(
    *,
    budget: Budget,
    project: Project,
    amount: Decimal,
    purpose: str,
    requested_by,
    recipient_name: str = "",
) -> FundingLine:
    """Propose an award and ask an elected member for the area to decide it (never the
    holder of a neighbourhood budget for their own budget). Until decided the budget holds
    the money; approved, the line is committed; rejected, refused. Refused at once when it
    is more than a single grant may be or more than the budget has left, with the reason.

    Match funding the project brings in is recorded on the project, as partner
    contributions and external match funding: it is what the award levers.
    """
    line = funding_line_create(
        project=project,
        created_by=requested_by,
        source=FundingLine.SOURCE_FOR_BUDGET_KIND[budget.kind],
        amount=amount,
        budget=budget,
        description=purpose.strip(),
        is_grant=bool(recipient_name.strip()),
        recipient_name=recipient_name,
    )
    funding_line_request_signoff(line=line, requested_by=requested_by)
    return line
