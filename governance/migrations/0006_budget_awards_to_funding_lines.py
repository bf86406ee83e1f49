"""Data: every budget award becomes a funding line drawing on its budget (the one ledger,
projects.FundingLine), before the award model goes.

- The line's source follows the budget's kind; its status follows the award's latest
  funding decision: approved, committed (on the day it was decided); pending, waiting for
  sign-off; rejected, refused; withdrawn, withdrawn.
- The award's sign-off requests now name the project and the line (key "funding:<id>"),
  as a line's own requests do.
- Match funding recorded with an award (`levered`) becomes an external match line on the
  project, marked by its funder name; withdrawn if the award was rejected or withdrawn.

Reversing makes an award again of every line that has a funding decision (a line's
devolved money decided by a member), with the match lines marked above as its levered
money, and points the requests back at it.
"""

from django.db import migrations

SOURCE_FOR_KIND = {
    "area_budget": "area_budget",
    "neighbourhood_budget": "neighbourhood_budget",
    "small_grants": "small_grant",
}
LINE_STATUS = {
    "approved": "committed",
    "pending": "awaiting_signoff",
    "rejected": "refused",
    "withdrawn": "withdrawn",
}
MATCH_FUNDER = "Match funding recorded with a budget award"
AWARD_KEY = "award"


def _match_description(purpose: str) -> str:
    return f"Match funding for: {purpose}"[:300]


def _content_type(apps, app_label: str, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def awards_to_funding_lines(apps, schema_editor):
    BudgetAward = apps.get_model("governance", "BudgetAward")
    SignOffRequest = apps.get_model("governance", "SignOffRequest")
    FundingLine = apps.get_model("projects", "FundingLine")
    award_type = _content_type(apps, "governance", "budgetaward")
    project_type = _content_type(apps, "projects", "project")
    for award in BudgetAward.objects.select_related("budget").order_by("pk"):
        requests = SignOffRequest.objects.filter(
            subject_type=award_type, subject_id=award.pk, key=AWARD_KEY
        )
        latest = requests.order_by("-requested_at", "-pk").first()
        status = LINE_STATUS[latest.status] if latest else "awaiting_signoff"
        committed_on = None
        if status == "committed":
            committed_on = (latest.decided_at or latest.requested_at).date()
        line = FundingLine.objects.create(
            project_id=award.project_id,
            source=SOURCE_FOR_KIND[award.budget.kind],
            budget_id=award.budget_id,
            description=award.purpose[:300],
            amount=award.amount,
            status=status,
            committed_on=committed_on,
        )
        requests.update(
            subject_type=project_type, subject_id=award.project_id, key=f"funding:{line.pk}"
        )
        if award.levered > 0:
            kept = status in {"committed", "awaiting_signoff"}
            FundingLine.objects.create(
                project_id=award.project_id,
                source="external_match",
                funder_name=MATCH_FUNDER,
                description=_match_description(award.purpose),
                amount=award.levered,
                status="committed" if kept else "withdrawn",
                committed_on=(committed_on or award.created_at.date()) if kept else None,
            )


def funding_lines_to_awards(apps, schema_editor):
    BudgetAward = apps.get_model("governance", "BudgetAward")
    SignOffRequest = apps.get_model("governance", "SignOffRequest")
    FundingLine = apps.get_model("projects", "FundingLine")
    award_type = _content_type(apps, "governance", "budgetaward")
    project_type = _content_type(apps, "projects", "project")
    decisions = SignOffRequest.objects.filter(
        subject_type=project_type, kind="funding_decision", key__startswith="funding:"
    )
    line_ids = {int(key.removeprefix("funding:")) for key in decisions.values_list("key", flat=True)}
    lines = FundingLine.objects.filter(pk__in=line_ids, budget__isnull=False).order_by("pk")
    for line in lines:
        requests = decisions.filter(subject_id=line.project_id, key=f"funding:{line.pk}")
        first = requests.order_by("requested_at", "pk").first()
        purpose = line.description or "Award from the budget"
        matches = FundingLine.objects.filter(
            project_id=line.project_id,
            source="external_match",
            funder_name=MATCH_FUNDER,
            description=_match_description(purpose),
        )
        award = BudgetAward.objects.create(
            budget_id=line.budget_id,
            project_id=line.project_id,
            amount=line.amount,
            levered=sum((match.amount for match in matches.filter(status="committed")), 0),
            purpose=purpose[:255],
            requested_by_id=first.requested_by_id,
        )
        requests.update(subject_type=award_type, subject_id=award.pk, key=AWARD_KEY)
        matches.delete()
        line.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("governance", "0005_signoffrequest_excluded_deciders"),
        ("projects", "0005_fundingline_refused_status_devolved_source_draws_on_budget"),
    ]

    operations = [
        migrations.RunPython(awards_to_funding_lines, funding_lines_to_awards),
    ]
