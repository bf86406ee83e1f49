"""Data: every area's boundary moves to its AreaBoundary row, and back when reversed.
Running it again adds nothing twice."""

from django.db import migrations

BATCH = 200


def boundaries_out(apps, schema_editor):
    Area = apps.get_model("communities", "Area")
    AreaBoundary = apps.get_model("communities", "AreaBoundary")
    areas = Area.objects.filter(boundary__isnull=False).values_list("pk", "boundary")
    AreaBoundary.objects.bulk_create(
        [AreaBoundary(area_id=pk, geometry=geometry) for pk, geometry in areas],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def boundaries_back(apps, schema_editor):
    Area = apps.get_model("communities", "Area")
    AreaBoundary = apps.get_model("communities", "AreaBoundary")
    for pk, geometry in AreaBoundary.objects.values_list("area_id", "geometry").iterator():
        Area.objects.filter(pk=pk).update(boundary=geometry)


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0004_areaboundary"),
    ]

    operations = [
        migrations.RunPython(boundaries_out, boundaries_back),
    ]
