"""The queue of participants' months to rebuild: on PostgreSQL the ledger's triggers now
queue (participant, month) instead of the participant, so an action costs a rebuild of
its month, not of the person's whole history. What is already queued stays queued."""

from django.db import migrations, models


def triggers_for_months(apps, schema_editor):
    from engagement.inclusion.activity import activity_triggers_install

    activity_triggers_install(schema_editor.connection, months=True)


def triggers_for_participants(apps, schema_editor):
    """Back to queueing participants: the months still queued become their people."""
    from engagement.inclusion.activity import activity_triggers_install

    connection = schema_editor.connection
    activity_triggers_install(connection, months=False)
    insert = "INSERT" if connection.vendor == "postgresql" else "INSERT OR IGNORE"
    conflict = " ON CONFLICT DO NOTHING" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"{insert} INTO inclusion_staleparticipant (participant_id) "
            f"SELECT DISTINCT participant_id FROM inclusion_stalemonth{conflict}"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('inclusion', '0002_ledger_triggers_and_backfill'),
    ]

    operations = [
        migrations.CreateModel(
            name='StaleMonth',
            fields=[
                ('pk', models.CompositePrimaryKey('participant_id', 'month', blank=True, editable=False, primary_key=True, serialize=False)),
                ('participant_id', models.BigIntegerField()),
                ('month', models.DateField()),
            ],
            options={
                'ordering': ['participant_id', 'month'],
            },
        ),
        migrations.RunPython(triggers_for_months, triggers_for_participants),
    ]
