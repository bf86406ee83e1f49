"""Data: a line from an area budget, a neighbourhood budget or a small grant that names no
budget becomes council service money (its description says what it was), so that every
line from a devolved source draws on a budget (the constraint added next).

Reversing changes nothing: the earlier schema accepts the lines as they are now.
"""

from django.db import migrations

DEVOLVED = {
    "area_budget": "area budget",
    "neighbourhood_budget": "councillor neighbourhood budget",
    "small_grant": "small grant",
}


def devolved_lines_without_budget_to_council_service(apps, schema_editor):
    FundingLine = apps.get_model("projects", "FundingLine")
    orphans = FundingLine.objects.filter(budget__isnull=True, source__in=list(DEVOLVED))
    for line in orphans.iterator():
        note = f"(recorded as {DEVOLVED[line.source]} money without a budget)"
        line.description = f"{line.description} {note}".strip()[:300]
        line.source = "council_service"
        line.save(update_fields=["source", "description"])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_default_service_areas"),
    ]

    operations = [
        migrations.RunPython(
            devolved_lines_without_budget_to_council_service, migrations.RunPython.noop
        ),
    ]
