"""Street champions already inducted keep their induction: it becomes their volunteer
record's (the volunteer involvement pack). Emergency procedures and the boundaries of
the role were not recorded before, so they stay to be covered."""

from django.db import migrations


def champions_to_volunteers(apps, schema_editor):
    StreetChampion = apps.get_model("engagement", "StreetChampion")
    Volunteer = apps.get_model("engagement", "Volunteer")
    inducted = StreetChampion.objects.filter(inducted_on__isnull=False).exclude(
        participant__volunteer__isnull=False
    )
    Volunteer.objects.bulk_create(
        [
            Volunteer(
                participant_id=champion.participant_id,
                inducted_on=champion.inducted_on,
                inducted_by_id=champion.inducted_by_id,
                pack_acknowledged=True,
            )
            for champion in inducted.iterator()
        ],
        batch_size=500,
    )


def volunteers_to_champions(apps, schema_editor):
    # Only records that hold nothing but the champion's induction are removed.
    Volunteer = apps.get_model("engagement", "Volunteer")
    Volunteer.objects.filter(
        participant__street_champion__inducted_on__isnull=False,
        date_of_birth__isnull=True,
        year_of_birth__isnull=True,
        confirmed_adult=False,
        emergency_procedures_covered=False,
        role_boundaries_covered=False,
        emergency_contact_name="",
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0005_volunteering_tasks_assessments_toolkits"),
    ]

    operations = [
        migrations.RunPython(champions_to_volunteers, volunteers_to_champions),
    ]
