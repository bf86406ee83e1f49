from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_fundingline_devolved_lines_without_budget_to_council_service"),
    ]

    operations = [
        migrations.AlterField(
            model_name="fundingline",
            name="status",
            field=models.CharField(
                choices=[
                    ("awaiting_signoff", "Waiting for sign-off"),
                    ("committed", "Committed"),
                    ("refused", "Refused at sign-off"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="awaiting_signoff",
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="fundingline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("budget__isnull", False),
                    models.Q(
                        ("source__in", ["area_budget", "neighbourhood_budget", "small_grant"]),
                        _negated=True,
                    ),
                    _connector="OR",
                ),
                name="projects_funding_devolved_source_draws_on_budget",
                violation_error_message=(
                    "Money from an area budget, a neighbourhood budget or a small grants fund "
                    "names the budget it comes from."
                ),
            ),
        ),
    ]
