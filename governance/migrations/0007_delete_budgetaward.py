from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0006_budget_awards_to_funding_lines"),
    ]

    operations = [
        migrations.DeleteModel(
            name="BudgetAward",
        ),
    ]
