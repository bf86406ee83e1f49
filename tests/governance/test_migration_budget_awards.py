"""Budget awards become funding lines (governance 0006), and back again when reversed."""

from datetime import date
from decimal import Decimal

import pytest

from tests.migrating import migrate
from tests.projects.factories import BudgetFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("governance", "0005_signoffrequest_excluded_deciders"),
    ("projects", "0005_fundingline_refused_status_devolved_source_draws_on_budget"),
]
AFTER = [("governance", "0007_delete_budgetaward")]


def test_awards_move_to_funding_lines_and_back(at_latest, ward, officer, elected_member):
    # given: the schema before the move, with an approved award (levering match funding)
    # and a pending one
    budget = BudgetFactory(name="Northfield Central area budget", area=ward.parent)
    project = ProjectFactory(areas=[ward])
    apps = migrate(BEFORE)
    BudgetAward = apps.get_model("governance", "BudgetAward")
    SignOffRequest = apps.get_model("governance", "SignOffRequest")
    ContentType = apps.get_model("contenttypes", "ContentType")
    award_type = ContentType.objects.get_or_create(app_label="governance", model="budgetaward")[0]
    approved = BudgetAward.objects.create(
        budget_id=budget.pk,
        project_id=project.pk,
        amount=Decimal("20000"),
        levered=Decimal("34400"),
        purpose="Hall roof",
        requested_by_id=officer.pk,
    )
    pending = BudgetAward.objects.create(
        budget_id=budget.pk,
        project_id=project.pk,
        amount=Decimal("5000"),
        purpose="Hall kitchen",
        requested_by_id=officer.pk,
    )
    for award, status in [(approved, "approved"), (pending, "pending")]:
        SignOffRequest.objects.create(
            kind="funding_decision",
            subject_type=award_type,
            subject_id=award.pk,
            key="award",
            summary=award.purpose,
            requested_by_id=officer.pk,
            amount=award.amount,
            deadline=date(2026, 12, 1),
            status=status,
            **(
                {"decided_by_id": elected_member.pk, "decided_at": "2026-11-01T10:00:00Z"}
                if status == "approved"
                else {}
            ),
        )
    # when
    apps = migrate(AFTER)
    # then: a line drawing on the budget per award, and the match funding levered
    FundingLine = apps.get_model("projects", "FundingLine")
    SignOffRequest = apps.get_model("governance", "SignOffRequest")
    lines = {
        (line.source, line.description): line
        for line in FundingLine.objects.filter(project_id=project.pk)
    }
    roof = lines[("area_budget", "Hall roof")]
    assert (roof.amount, roof.status, roof.budget_id, roof.committed_on) == (
        Decimal("20000"),
        "committed",
        budget.pk,
        date(2026, 11, 1),
    )
    kitchen = lines[("area_budget", "Hall kitchen")]
    assert (kitchen.amount, kitchen.status) == (Decimal("5000"), "awaiting_signoff")
    match = lines[("external_match", "Match funding for: Hall roof")]
    assert (match.amount, match.status) == (Decimal("34400"), "committed")
    assert len(lines) == 3
    keys = set(SignOffRequest.objects.values_list("key", flat=True))
    assert keys == {f"funding:{roof.pk}", f"funding:{kitchen.pk}"}
    # when: reversed
    apps = migrate(BEFORE)
    # then: the awards again, with their match funding and their requests
    BudgetAward = apps.get_model("governance", "BudgetAward")
    FundingLine = apps.get_model("projects", "FundingLine")
    SignOffRequest = apps.get_model("governance", "SignOffRequest")
    awards = {award.purpose: award for award in BudgetAward.objects.all()}
    assert (awards["Hall roof"].amount, awards["Hall roof"].levered) == (
        Decimal("20000"),
        Decimal("34400"),
    )
    assert (awards["Hall kitchen"].amount, awards["Hall kitchen"].levered) == (
        Decimal("5000"),
        Decimal("0"),
    )
    assert not FundingLine.objects.filter(project_id=project.pk).exists()
    assert set(SignOffRequest.objects.values_list("key", flat=True)) == {"award"}
