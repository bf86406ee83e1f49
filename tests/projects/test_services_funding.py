"""Funding lines: council spend over the threshold waits for an elected member."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from governance.models import AuditEvent, Budget, SignOffRequest
from governance.signoffs import signoff_decide
from projects import services
from projects.models import FundingLine
from tests.governance.factories import PartnerAgencyFactory
from tests.projects.factories import BudgetFactory, FundingLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.PROJECT_SPEND_SIGNOFF_THRESHOLD = "5000"


def add_line(project, officer, amount, **kwargs) -> FundingLine:
    kwargs.setdefault("source", FundingLine.Source.AREA_BUDGET)
    return services.funding_line_create(
        project=project, created_by=officer, amount=Decimal(amount), **kwargs
    )


def approve(line, officer, member) -> SignOffRequest:
    request = services.funding_line_request_signoff(line=line, requested_by=officer)
    return signoff_decide(request=request, decided_by=member, approve=True)


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
    assert message.startswith("£12,000.00 from the area budget is over the council's £5,000.00")
    assert "an elected member must sign it off before it is committed or spent" in message
    line.refresh_from_db()
    assert line.spent == 0
    with pytest.raises(services.ProjectRuleError, match="must sign it off"):
        services.funding_line_commit(line=line, committed_by=officer)


def test_signed_off_spend_can_be_committed_and_spent(project, officer, elected_member):
    # given
    line = add_line(project, officer, "12000")
    request = approve(line, officer, elected_member)
    assert request.amount == Decimal("12000")
    assert request.kind == SignOffRequest.Kind.SPEND
    assert request.key == f"funding:{line.pk}"
    # when
    committed = services.funding_line_commit(line=line, committed_by=officer)
    spent = services.funding_line_update(
        line=committed,
        updated_by=officer,
        expected_version=committed.version,
        description="",
        spent=Decimal("3000"),
    )
    # then
    assert spent.status == FundingLine.Status.COMMITTED
    assert spent.spent == Decimal("3000")
    assert AuditEvent.objects.filter(action="project.funding_committed").exists()


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


def test_signoff_for_a_smaller_amount_does_not_cover_a_raised_line(
    project, officer, elected_member
):
    # given
    line = add_line(project, officer, "8000")
    approve(line, officer, elected_member)
    # when
    raised = services.funding_line_update(
        line=line,
        updated_by=officer,
        expected_version=line.version,
        description="",
        spent=Decimal(0),
        amount=Decimal("9000"),
    )
    # then
    with pytest.raises(services.ProjectRuleError, match=r"£9,000\.00"):
        services.funding_line_commit(line=raised, committed_by=officer)


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
        services.funding_line_request_signoff(line=line, requested_by=officer)


def test_match_funding_names_its_funder(project, officer):
    with pytest.raises(services.ProjectRuleError) as refused:
        add_line(project, officer, "1000", source=FundingLine.Source.EXTERNAL_MATCH)
    assert "funder_name" in refused.value.error_dict


def test_a_budget_cannot_be_overcommitted(project, officer, ward):
    # given
    budget = BudgetFactory(name="Town Centre area budget", amount=Decimal("4000"), area=ward)
    add_line(project, officer, "3000", budget=budget)
    # when
    with pytest.raises(services.ProjectRuleError) as refused:
        add_line(project, officer, "1500", budget=budget)
    # then
    assert "has £1,000.00 left to commit" in refused.value.messages[0]
    assert FundingLine.objects.filter(budget=budget).count() == 1


def test_a_small_grant_is_capped_by_the_funds_maximum(project, officer, ward):
    budget = BudgetFactory(
        name="Safer Neighbourhoods grants",
        kind=Budget.Kind.SMALL_GRANTS,
        amount=Decimal("20000"),
        max_award=Decimal("2500"),
        area=ward,
    )
    with pytest.raises(services.ProjectRuleError) as refused:
        add_line(project, officer, "3000", source=FundingLine.Source.SMALL_GRANT, budget=budget)
    assert "at most £2,500.00" in refused.value.error_dict["amount"][0].message


def test_the_budget_must_match_the_source_and_the_area(project, officer, ward, other_ward):
    area_budget = BudgetFactory(name="Town Centre area budget", area=ward)
    far_budget = BudgetFactory(name="Rivermouth area budget", area=other_ward)
    with pytest.raises(services.ProjectRuleError) as wrong_kind:
        add_line(
            project, officer, "100", source=FundingLine.Source.SMALL_GRANT, budget=area_budget
        )
    assert "not a small grant" in wrong_kind.value.error_dict["budget"][0].message
    with pytest.raises(services.ProjectRuleError) as wrong_area:
        add_line(project, officer, "100", budget=far_budget)
    assert "does not serve" in wrong_area.value.error_dict["budget"][0].message


def test_a_grant_names_its_recipient(project, officer):
    with pytest.raises(services.ProjectRuleError) as refused:
        add_line(project, officer, "500", source=FundingLine.Source.SMALL_GRANT, is_grant=True)
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
