"""The summary's queue of months (inclusion 0003): reversed, the months still queued
become their people and the ledger's triggers queue people again; forward, months."""

from datetime import date

import pytest
from django.db import connection

from engagement.inclusion.models import StaleMonth, StaleParticipant
from tests.engagement.factories import ParticipantFactory
from tests.engagement.inclusion.factories import ParticipationRecordFactory, on
from tests.migrating import migrate
from tests.services import postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql("the ledger's triggers queue months on PostgreSQL"),
]

BEFORE = [("inclusion", "0002_ledger_triggers_and_backfill")]
AFTER = [("inclusion", "0003_stale_months")]


def test_reversed_the_queued_months_become_people_and_forward_months_again(at_latest, ward):
    # given: a month queued by the ledger's trigger
    queued, later = ParticipantFactory(home_ward=ward), ParticipantFactory(home_ward=ward)
    ParticipationRecordFactory(participant=queued, area=ward, occurred_at=on(date(2026, 3, 5)))
    assert list(StaleMonth.objects.values_list("participant_id", flat=True)) == [queued.pk]
    # when: reversed
    migrate(BEFORE)
    # then: its person is queued, and a new action queues its person
    ParticipationRecordFactory(participant=later, area=ward, occurred_at=on(date(2026, 3, 6)))
    people = set(StaleParticipant.objects.values_list("participant_id", flat=True))
    assert people == {queued.pk, later.pk}
    # when: forward again
    migrate(AFTER)
    StaleParticipant.objects.all().delete()
    ParticipationRecordFactory(participant=later, area=ward, occurred_at=on(date(2026, 4, 1)))
    # then: months are queued again
    assert list(StaleMonth.objects.values_list("participant_id", "month")) == [
        (later.pk, date(2026, 4, 1))
    ]
    assert not StaleParticipant.objects.exists()


def _functions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT oid::regprocedure::text FROM pg_proc WHERE proname LIKE 'inclusion_%' "
            "ORDER BY 1"
        )
        return [row[0] for row in cursor.fetchall()]


def test_each_form_of_the_triggers_keeps_only_its_own_functions(at_latest):
    # given: the triggers as they are now (queueing months)
    months = "inclusion_stale_enqueue(bigint[],date[])"
    people = "inclusion_stale_enqueue(bigint[])"
    assert {months, people} & set(_functions()) == {months}
    # when: reversed to queueing people
    migrate(BEFORE)
    # then: the months' function, whose table is gone, goes with it
    assert {months, people} & set(_functions()) == {people}
    # and reversed to before the triggers, none is left
    migrate([("inclusion", "0001_reports_and_scope_activity")])
    assert _functions() == []
