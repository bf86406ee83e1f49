"""Areas' boundaries get a table of their own (AreaBoundary): the lists that name an area
no longer load tens of kilobytes of GeoJSON per row. 0005 moves the boundaries across,
0006 drops the area's column."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0003_assets_capacity_spend_lsoa_best_fit"),
    ]

    operations = [
        migrations.CreateModel(
            name="AreaBoundary",
            fields=[
                (
                    "area",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="boundary",
                        serialize=False,
                        to="communities.area",
                    ),
                ),
                ("geometry", models.JSONField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["area"],
            },
        ),
    ]
