"""Triggers on the participation ledger and on events that queue participants whose
summary rows must be rebuilt, and every participant already in the ledger queued once."""

from django.db import migrations


def install(apps, schema_editor):
    from engagement.inclusion.activity import activity_triggers_install

    activity_triggers_install(schema_editor.connection)


def queue_everyone(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO inclusion_staleparticipant (participant_id) "
            "SELECT DISTINCT participant_id FROM engagement_participationrecord"
        )


def uninstall(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "DROP TRIGGER IF EXISTS inclusion_ledger_insert ON engagement_participationrecord"
            )
            cursor.execute(
                "DROP TRIGGER IF EXISTS inclusion_ledger_update ON engagement_participationrecord"
            )
            cursor.execute(
                "DROP TRIGGER IF EXISTS inclusion_ledger_delete ON engagement_participationrecord"
            )
            cursor.execute("DROP TRIGGER IF EXISTS inclusion_event_series ON engagement_event")
            cursor.execute("DROP FUNCTION IF EXISTS inclusion_ledger_stale()")
            cursor.execute("DROP FUNCTION IF EXISTS inclusion_event_stale()")
            # The queueing function the triggers call (for people, or for months).
            cursor.execute("DROP FUNCTION IF EXISTS inclusion_stale_enqueue(bigint[])")
            cursor.execute("DROP FUNCTION IF EXISTS inclusion_stale_enqueue(bigint[], date[])")
        else:
            for name in (
                "inclusion_ledger_insert",
                "inclusion_ledger_update",
                "inclusion_ledger_delete",
                "inclusion_event_series",
            ):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("inclusion", "0001_reports_and_scope_activity")]

    operations = [
        migrations.RunPython(install, uninstall),
        migrations.RunPython(queue_everyone, migrations.RunPython.noop),
    ]
