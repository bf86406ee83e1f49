"""The council's starting list of services; administrators edit it in the admin site."""

from django.db import migrations

SERVICE_AREAS = [
    "Adult social care",
    "Children and young people",
    "Community centres",
    "Community safety",
    "Environment and green spaces",
    "Highways and transport",
    "Housing",
    "Leisure and culture",
    "Parks",
    "Public health",
    "Street scene",
    "Waste and recycling",
    "Youth services",
]


def add_service_areas(apps, schema_editor):
    ServiceArea = apps.get_model("projects", "ServiceArea")
    for name in SERVICE_AREAS:
        ServiceArea.objects.get_or_create(name=name)


def remove_unused_service_areas(apps, schema_editor):
    ServiceArea = apps.get_model("projects", "ServiceArea")
    ServiceArea.objects.filter(name__in=SERVICE_AREAS, projects__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_project_stages_roster_funding_outcomes_assessment"),
    ]

    operations = [
        migrations.RunPython(add_service_areas, remove_unused_service_areas),
    ]
