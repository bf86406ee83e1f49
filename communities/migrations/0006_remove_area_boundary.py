from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0005_area_boundaries_move"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="area",
            name="boundary",
        ),
    ]
