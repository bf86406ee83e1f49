"""Funding lines, the one ledger of project money: money from a devolved budget is a
funding decision, other council money over the threshold waits for a spend sign-off, and
a budget is never over-committed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.models import AuditEvent, Budget, SignOffDelegation, SignOffRequest
from governance.signoffs import (
    SignOffRefusedError,
    signoff_decide,
    signoff_for,
    signoff_refusal_reason,
)
from projects import ledger, services
from projects.models import FundingLine
from tests.accounts.factories import ElectedMemberFactory
from tests.governance.factories import PartnerAgencyFactory
from tests.projects.factories import BudgetFactory, FundingLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.PROJECT_SPEND_SIGNOFF_THRESHOLD = "5000"


@pytest.fixture
def area_budget(aap):
    return BudgetFactory(name="Northfield Central area budget", amount=Decimal("4000"), area=aap)


@pytest.fixture
def neighbourhood_budget(ward, elected_member):
    return BudgetFactory(
        name="Neighbourhood budget: Cllr Margaret Hughes",
        kind=Budget.Kind.NEIGHBOURHOOD_BUDGET,
        amount=Decimal("25000"),
        area=ward,
        holder=elected_member,
    )


def add_line(project, officer, amount, **kwargs) -> FundingLine:
    kwargs.setdefault("source", FundingLine.Source.COUNCIL_SERVICE)
    return services.funding_line_create(
        project=project, created_by=officer, amount=Decimal(amount), **kwargs
    )


def award(project, officer, budget, amount, **kwargs) -> FundingLine:
    source = FundingLine.SOURCE_FOR_BUDGET_KIND[budget.kind]
    return add_line(project, officer, amount, source=source, budget=budget, **kwargs)


def ask(line, officer) -> SignOffRequest:
    return services.funding_line_request_signoff(line=line, requested_by=officer)


def approve(line, officer, member) -> SignOffRequest:
    return signoff_decide(request=ask(line, officer), decided_by=member, approve=True)


def totals(budget) -> tuple:
    (row,) = ledger.budget_list_with_totals(budgets=Budget.objects.filter(pk=budget.pk))
    return row.committed, row.pending, row.left


# Council money over the threshold --------------------------------------------------


def test_council_money_within_the_threshold_is_committed_at_once(project, officer):
    line = add_line(project, officer, "5000")
    assert line.status == FundingLine.Status.COMMITTED
    assert line.committed_on is not None


def test_council_money_over_the_threshold_waits_for_signoff(project, officer):
    line = add_line(project, officer, "5000.01")
    assert line.status == FundingLine.Status.AWAITING_SIGNOFF
    assert line.committed_on is None


def test_spend_over_the_threshold_without_signoff_is_refused_with_a_clear_message(
    project, officer
):
    # given
    line = add_line(project, officer, "12000", description="Skate park design")
    # when
    with pytest.raises(services.ProjectRuleError) as refused:
        services.funding_line_update(
            line=line,
            updated_by=officer,
            expected_version=line.version,
            description=line.description,
            spent=Decimal("3000"),
        )
    # then
    message = refused.value.error_dict["spent"][0].message
    assert message.startswith(
        "£12,000.00 from the council service budget is over the council's £5,000.00"
    )
    assert "an elected member must sign it off before it is committed or spent" in message
    line.refresh_from_db()
    assert line.spent == 0
    with pytest.raises(services.ProjectRuleError, match="must sign it off"):
        services.funding_line_commit(line=line, committed_by=officer)


def test_signed_off_spend_is_committed_by_the_approval_and_can_be_spent(
    project, officer, elected_member
):
    """The member's approval is the decision to commit: the line is committed by it."""
    # given
    line = add_line(project, officer, "12000")
    # when
    request = approve(line, officer, elected_member)
    # then
    assert (request.kind, request.key, request.amount) == (
        SignOffRequest.Kind.SPEND,
        f"funding:{line.pk}",
        Decimal("12000"),
    )
    line.refresh_from_db()
    assert line.status == FundingLine.Status.COMMITTED
    assert line.committed_on == timezone.localdate()
    assert AuditEvent.objects.filter(
        action="project.funding_committed", actor=elected_member
    ).exists()
    # and committing again changes nothing; spending works
    committed = services.funding_line_commit(line=line, committed_by=officer)
    spent = services.funding_line_update(
        line=committed,
        updated_by=officer,
        expected_version=committed.version,
        description="",
        spent=Decimal("3000"),
    )
    assert spent.spent == Decimal("3000")


def test_rejected_spend_is_refused_and_blocks_nothing(project, officer, elected_member):
    # given
    line = add_line(project, officer, "12000")
    # when
    signoff_decide(
        request=ask(line, officer), decided_by=elected_member, approve=False, comment="No."
    )
    # then
    line.refresh_from_db()
    assert line.status == FundingLine.Status.REFUSED
    with pytest.raises(services.ProjectRuleError, match="refused at sign-off"):
        services.funding_line_update(
            line=line,
            updated_by=officer,
            expected_version=line.version,
            description="",
            spent=Decimal("1"),
        )


def test_threshold_is_read_when_the_line_is_checked(project, officer, settings):
    # given
    settings.PROJECT_SPEND_SIGNOFF_THRESHOLD = "20000"
    # when
    line = add_line(project, officer, "12000")
    # then
    assert line.status == FundingLine.Status.COMMITTED
    settings.PROJECT_SPEND_SIGNOFF_THRESHOLD = "1000"
    assert add_line(project, officer, "1200").status == FundingLine.Status.AWAITING_SIGNOFF


def test_a_misconfigured_threshold_says_what_is_wrong(project, officer, settings):
    settings.PROJECT_SPEND_SIGNOFF_THRESHOLD = "five thousand"
    with pytest.raises(ImproperlyConfigured, match="PROJECT_SPEND_SIGNOFF_THRESHOLD"):
        add_line(project, officer, "100")


def test_raising_a_line_while_a_member_decides_it_asks_them_about_the_new_amount(
    project, officer, elected_member
):
    # given: asked for at £8,000 with a deadline, then raised to £9,000 before the member
    # decides
    line = add_line(project, officer, "8000")
    deadline = timezone.localdate() + timedelta(days=5)
    first = services.funding_line_request_signoff(
        line=line, requested_by=officer, deadline=deadline
    )
    # when
    raised = services.funding_line_update(
        line=line,
        updated_by=officer,
        expected_version=line.version,
        description="",
        spent=Decimal(0),
        amount=Decimal("9000"),
    )
    # then: no one is left deciding £8,000; the member is asked about £9,000 instead
    first.refresh_from_db()
    assert first.status == SignOffRequest.Status.WITHDRAWN
    second = signoff_for(subject=project, kind=line.signoff_kind, key=line.signoff_key)
    assert (second.status, second.amount) == ("pending", Decimal("9000"))
    assert second.deadline == deadline
    assert "£9,000.00" in second.summary
    with pytest.raises(SignOffRefusedError):
        signoff_decide(request=first, decided_by=elected_member, approve=True)
    signoff_decide(request=second, decided_by=elected_member, approve=True)
    raised.refresh_from_db()
    assert raised.status == FundingLine.Status.COMMITTED


def test_lowering_a_line_within_the_threshold_withdraws_its_request(project, officer):
    # given
    line = add_line(project, officer, "8000")
    request = ask(line, officer)
    # when
    lowered = services.funding_line_update(
        line=line,
        updated_by=officer,
        expected_version=line.version,
        description="",
        spent=Decimal(0),
        amount=Decimal("4000"),
    )
    # then: committed at once, and no member is left with a request about it
    request.refresh_from_db()
    assert (lowered.status, request.status) == ("committed", "withdrawn")


def test_signoff_for_a_smaller_amount_does_not_cover_a_raised_line(
    project, officer, elected_member
):
    # given: approved at £8,000; the line then raised to £9,000 in the same moment (the
    # decision's check sees the raised line)
    line = add_line(project, officer, "8000")
    request = ask(line, officer)
    FundingLine.objects.filter(pk=line.pk).update(amount=Decimal("9000"))
    # when
    signoff_decide(request=request, decided_by=elected_member, approve=True)
    # then: the approval does not cover it, so it waits to be asked again
    line.refresh_from_db()
    assert line.status == FundingLine.Status.AWAITING_SIGNOFF
    with pytest.raises(services.ProjectRuleError, match=r"£9,000\.00"):
        services.funding_line_commit(line=line, committed_by=officer)
    assert ask(line, officer).amount == Decimal("9000")


def test_raising_a_committed_line_over_the_threshold_is_refused(project, officer):
    line = add_line(project, officer, "4000")
    with pytest.raises(services.ProjectRuleError) as refused:
        services.funding_line_update(
            line=line,
            updated_by=officer,
            expected_version=line.version,
            description="",
            spent=Decimal(0),
            amount=Decimal("6000"),
        )
    assert "add a new funding line" in refused.value.error_dict["amount"][0].message
    line.refresh_from_db()
    assert line.amount == Decimal("4000")


def test_partner_money_needs_no_signoff(project, officer):
    line = add_line(
        project,
        officer,
        "50000",
        source=FundingLine.Source.PARTNER,
        partner_agency=PartnerAgencyFactory(name="Northfield Fire and Rescue"),
    )
    assert line.status == FundingLine.Status.COMMITTED
    with pytest.raises(services.ProjectRuleError, match="needs no sign-off"):
        ask(line, officer)


def test_match_funding_names_its_funder(project, officer):
    with pytest.raises(services.ProjectRuleError) as refused:
        add_line(project, officer, "1000", source=FundingLine.Source.EXTERNAL_MATCH)
    assert "funder_name" in refused.value.error_dict


# Devolved budgets: funding decisions ----------------------------------------------


def test_money_from_a_devolved_budget_is_a_funding_decision_whatever_its_amount(
    project, officer, area_budget, aap
):
    # when
    line = award(project, officer, area_budget, "1")
    request = ask(line, officer)
    # then
    assert line.status == FundingLine.Status.AWAITING_SIGNOFF
    assert request.kind == SignOffRequest.Kind.FUNDING_DECISION
    assert request.key == f"funding:{line.pk}"
    assert list(request.areas.all()) == [aap]
    assert totals(area_budget) == (Decimal(0), Decimal(1), Decimal("3999"))


def test_devolved_money_names_its_budget(project, officer):
    with pytest.raises(services.ProjectRuleError) as refused:
        add_line(project, officer, "500", source=FundingLine.Source.SMALL_GRANT)
    assert "Choose the budget" in refused.value.error_dict["budget"][0].message


def test_the_database_refuses_devolved_money_without_a_budget(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingLineFactory(project=project, source=FundingLine.Source.AREA_BUDGET, budget=None)


def test_an_approved_award_is_committed_and_a_rejected_one_frees_the_budget(
    project, officer, elected_member, area_budget
):
    # given
    approved = award(project, officer, area_budget, "1500")
    rejected = award(project, officer, area_budget, "2000")
    # when
    approve(approved, officer, elected_member)
    signoff_decide(
        request=ask(rejected, officer),
        decided_by=elected_member,
        approve=False,
        comment="Ask the youth club first.",
    )
    # then
    approved.refresh_from_db()
    rejected.refresh_from_db()
    assert approved.status == FundingLine.Status.COMMITTED
    assert rejected.status == FundingLine.Status.REFUSED
    assert totals(area_budget) == (Decimal("1500"), Decimal(0), Decimal("2500"))


def test_a_budget_cannot_be_overcommitted(project, officer, area_budget):
    """Money waiting for a decision is held: what is left counts it."""
    # given
    award(project, officer, area_budget, "3000")
    # when
    with pytest.raises(services.ProjectRuleError) as refused:
        award(project, officer, area_budget, "1500")
    # then
    assert "has £1,000.00 left to commit" in refused.value.messages[0]
    assert FundingLine.objects.filter(budget=area_budget).count() == 1


def test_raising_a_pending_award_beyond_the_budget_is_refused(project, officer, area_budget):
    line = award(project, officer, area_budget, "3000")
    with pytest.raises(services.ProjectRuleError, match="left to commit"):
        services.funding_line_update(
            line=line,
            updated_by=officer,
            expected_version=line.version,
            description="",
            spent=Decimal(0),
            amount=Decimal("4000.01"),
        )
    line.refresh_from_db()
    assert line.amount == Decimal("3000")


def test_an_approval_the_budget_cannot_meet_is_refused_and_changes_nothing(
    project, officer, elected_member, area_budget
):
    # given: the budget was cut after the award was asked for
    line = award(project, officer, area_budget, "3000")
    request = ask(line, officer)
    Budget.objects.filter(pk=area_budget.pk).update(amount=Decimal("2000"))
    # when
    with pytest.raises(SignOffRefusedError, match=r"has £2,000\.00 left to commit"):
        signoff_decide(request=request, decided_by=elected_member, approve=True)
    # then
    request.refresh_from_db()
    line.refresh_from_db()
    assert request.status == SignOffRequest.Status.PENDING
    assert line.status == FundingLine.Status.AWAITING_SIGNOFF
    assert AuditEvent.objects.filter(action="signoff.decision_refused", outcome="refused").exists()


def test_withdrawing_a_pending_award_withdraws_its_request_and_frees_the_money(
    project, officer, area_budget
):
    # given
    line = award(project, officer, area_budget, "3000")
    request = ask(line, officer)
    # when
    services.funding_line_withdraw(line=line, withdrawn_by=officer)
    # then
    request.refresh_from_db()
    assert request.status == SignOffRequest.Status.WITHDRAWN
    assert totals(area_budget) == (Decimal(0), Decimal(0), Decimal("4000"))


def test_a_councillor_cannot_decide_an_award_from_their_own_neighbourhood_budget(
    project, officer, elected_member, neighbourhood_budget, ward
):
    # given
    line = award(project, officer, neighbourhood_budget, "900")
    request = ask(line, officer)
    # when / then: the holder is refused, as the four-eyes rule asks
    assert "money you hold yourself" in signoff_refusal_reason(
        user=elected_member, request=request
    )
    with pytest.raises(SignOffRefusedError):
        signoff_decide(request=request, decided_by=elected_member, approve=True)
    # and another member for the ward decides it
    colleague = ElectedMemberFactory(full_name="Cllr Tom Reid", areas=[ward])
    signoff_decide(request=request, decided_by=colleague, approve=True)
    line.refresh_from_db()
    assert line.status == FundingLine.Status.COMMITTED


def test_delegated_authority_decides_a_neighbourhood_budget_award(
    project, officer, elected_member, neighbourhood_budget, ward, other_ward, administrator
):
    # given
    line = award(project, officer, neighbourhood_budget, "900")
    deputy = ElectedMemberFactory(areas=[other_ward])
    delegation = SignOffDelegation.objects.create(
        member=deputy,
        kinds=[SignOffRequest.Kind.FUNDING_DECISION],
        starts_on=timezone.localdate(),
        reason="Cabinet member for neighbourhoods",
        granted_by=administrator,
    )
    delegation.areas.set([ward])
    # when
    approve(line, officer, deputy)
    # then
    line.refresh_from_db()
    assert line.status == FundingLine.Status.COMMITTED


def test_a_small_grant_is_capped_by_the_funds_maximum(project, officer, ward):
    budget = BudgetFactory(
        name="Safer Neighbourhoods grants",
        kind=Budget.Kind.SMALL_GRANTS,
        amount=Decimal("20000"),
        max_award=Decimal("2500"),
        area=ward,
    )
    with pytest.raises(services.ProjectRuleError) as refused:
        award(project, officer, budget, "3000")
    assert "at most £2,500.00" in refused.value.error_dict["amount"][0].message
    line = award(project, officer, budget, "500")
    with pytest.raises(services.ProjectRuleError, match=r"at most £2,500\.00"):
        services.funding_line_update(
            line=line,
            updated_by=officer,
            expected_version=line.version,
            description="",
            spent=Decimal(0),
            amount=Decimal("2600"),
        )


def test_a_small_grant_cap_counts_what_the_project_has_from_the_fund_already(
    project, officer, ward
):
    """South Derbyshire's grants are up to £2,500 for a project: splitting one into two
    awards does not get round it; a refused or withdrawn award no longer counts."""
    budget = BudgetFactory(
        name="Safer Neighbourhoods grants",
        kind=Budget.Kind.SMALL_GRANTS,
        amount=Decimal("20000"),
        max_award=Decimal("2500"),
        area=ward,
    )
    first = award(project, officer, budget, "2400")
    with pytest.raises(services.ProjectRuleError) as refused:
        award(project, officer, budget, "2000")
    message = refused.value.error_dict["amount"][0].message
    assert "at most £2,500.00" in message
    assert "£2,400.00 from it already" in message
    second = award(project, officer, budget, "100")
    with pytest.raises(services.ProjectRuleError, match=r"£2,400\.00 from it already"):
        services.funding_line_update(
            line=second,
            updated_by=officer,
            expected_version=second.version,
            description="",
            spent=Decimal(0),
            amount=Decimal("200"),
        )
    services.funding_line_withdraw(line=first, withdrawn_by=officer)
    assert award(project, officer, budget, "2000").amount == Decimal("2000")


def test_the_budget_must_match_the_source_and_the_area(project, officer, ward, other_ward):
    area_budget = BudgetFactory(name="Town Centre area budget", area=ward)
    far_budget = BudgetFactory(name="Rivermouth area budget", area=other_ward)
    with pytest.raises(services.ProjectRuleError) as wrong_kind:
        add_line(
            project, officer, "100", source=FundingLine.Source.SMALL_GRANT, budget=area_budget
        )
    assert "not a small grant" in wrong_kind.value.error_dict["budget"][0].message
    with pytest.raises(services.ProjectRuleError) as wrong_area:
        award(project, officer, far_budget, "100")
    assert "does not serve" in wrong_area.value.error_dict["budget"][0].message


def test_a_grant_names_its_recipient(project, officer, ward):
    grants = BudgetFactory(name="Grants", kind=Budget.Kind.SMALL_GRANTS, area=ward)
    with pytest.raises(services.ProjectRuleError) as refused:
        award(project, officer, grants, "500", is_grant=True)
    assert "recipient_name" in refused.value.error_dict
    with pytest.raises(services.ProjectRuleError) as partner:
        add_line(
            project,
            officer,
            "500",
            source=FundingLine.Source.EXTERNAL_MATCH,
            funder_name="Lottery",
            is_grant=True,
            recipient_name="Youth of Hatton",
        )
    assert "is_grant" in partner.value.error_dict


def test_a_line_with_spend_cannot_be_withdrawn(project, officer):
    line = FundingLineFactory(project=project, spent=Decimal("100"))
    with pytest.raises(services.ProjectRuleError, match="has been spent"):
        services.funding_line_withdraw(line=line, withdrawn_by=officer)
    unspent = FundingLineFactory(project=project)
    assert services.funding_line_withdraw(line=unspent, withdrawn_by=officer).status == (
        FundingLine.Status.WITHDRAWN
    )


def test_spend_cannot_exceed_the_committed_amount(project, officer):
    line = add_line(project, officer, "1000")
    with pytest.raises(services.ProjectRuleError) as refused:
        services.funding_line_update(
            line=line,
            updated_by=officer,
            expected_version=line.version,
            description="",
            spent=Decimal("1000.01"),
        )
    assert "cannot be more than the £1,000.00" in refused.value.error_dict["spent"][0].message
