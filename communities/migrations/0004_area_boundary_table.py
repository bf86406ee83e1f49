"""Areas' boundaries move to a table of their own (AreaBoundary), so that the lists that
name an area no longer load tens of kilobytes of GeoJSON per row. Every boundary moves
across, and back again when reversed."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 200


def boundaries_out(apps, schema_editor):
    Area = apps.get_model("communities", "Area")
    AreaBoundary = apps.get_model("communities", "AreaBoundary")
    areas = Area.objects.filter(boundary__isnull=False).values_list("pk", "boundary")
    AreaBoundary.objects.bulk_create(
        (AreaBoundary(area_id=pk, geometry=geometry) for pk, geometry in areas.iterator()),
        batch_size=BATCH,
    )


def boundaries_back(apps, schema_editor):
    Area = apps.get_model("communities", "Area")
    AreaBoundary = apps.get_model("communities", "AreaBoundary")
    for pk, geometry in AreaBoundary.objects.values_list("area_id", "geometry").iterator():
        Area.objects.filter(pk=pk).update(boundary=geometry)


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
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.RunPython(boundaries_out, boundaries_back),
        migrations.RemoveField(
            model_name="area",
            name="boundary",
        ),
    ]
