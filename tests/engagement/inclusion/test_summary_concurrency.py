"""The summary under concurrent writers and refreshes (PostgreSQL, where beat's refresh,
reports and writers run at once): whatever the interleaving, once the queue is worked
through the summary is what a full rebuild from the ledger gives."""

import threading
from datetime import date

import pytest
from django.db import connections, transaction

from engagement.inclusion.activity import activity_rebuild, activity_refresh
from engagement.inclusion.models import ScopeActivity, StaleParticipant
from engagement.models import ParticipationRecord
from tests.engagement.factories import ParticipantFactory
from tests.engagement.inclusion.factories import ParticipationRecordFactory, ProjectFactory, on
from tests.services import postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql("writers and refreshes in concurrent transactions"),
]
WAIT = 20


def summary() -> set[tuple]:
    return set(
        ScopeActivity.objects.values_list(
            "scope_kind", "scope_id", "month", "participant_id", "actions", "channels", "kinds"
        )
    )


def assert_as_rebuilt() -> None:
    kept = summary()
    activity_rebuild()
    assert kept == summary()


class Worker(threading.Thread):
    """Runs `work` in its own transaction (and connection); with `hold`, keeps the
    transaction open after it until released."""

    def __init__(self, work, *, hold: bool = True):
        super().__init__(daemon=True)
        self.work, self.hold, self.errors = work, hold, []
        self.done, self.release = threading.Event(), threading.Event()

    def run(self) -> None:
        try:
            with transaction.atomic():
                self.work()
                self.done.set()
                if self.hold:
                    assert self.release.wait(WAIT)
        except Exception as error:
            self.errors.append(error)
        finally:
            self.done.set()
            connections.close_all()

    def finish(self) -> None:
        self.release.set()
        self.join(WAIT)
        assert not self.is_alive()
        assert not self.errors, self.errors


def test_an_action_written_while_its_month_is_queued_is_counted(ward):
    # given: March queued for a person
    person = ParticipantFactory(home_ward=ward)
    ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(date(2026, 3, 5)))
    # and a writer adding another March action, not yet committed
    writer = Worker(
        lambda: ParticipationRecordFactory(
            participant=person, area=ward, occurred_at=on(date(2026, 3, 9))
        )
    )
    writer.start()
    assert writer.done.wait(WAIT)
    # when: a refresh runs meanwhile, then the writer commits
    activity_refresh()
    writer.finish()
    activity_refresh()
    # then: both actions are counted
    assert (0, 0, date(2026, 3, 1), person.pk, 2) in {row[:5] for row in summary()}
    assert_as_rebuilt()


def test_a_person_queued_whole_is_not_rebuilt_beside_one_of_their_months(ward):
    # given: a person's March in a project and in their ward, summarised
    person = ParticipantFactory(home_ward=ward)
    in_project = ParticipationRecordFactory(
        participant=person, area=ward, project=ProjectFactory(), occurred_at=on(date(2026, 3, 5))
    )
    ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(date(2026, 3, 6)))
    activity_refresh()
    # and the person queued whole (as the first install queues everyone)
    StaleParticipant.objects.create(participant_id=person.pk)
    # when: one refresh takes them and has not committed
    first = Worker(activity_refresh)
    first.start()
    assert first.done.wait(WAIT)
    # and a writer withdraws the project action (committing at once if it can), and a
    # second refresh runs
    withdraw = Worker(
        lambda: ParticipationRecord.objects.filter(pk=in_project.pk).delete(), hold=False
    )
    withdraw.start()
    withdraw.done.wait(1)
    second = Worker(activity_refresh)
    second.start()
    second.done.wait(1)
    first.finish()
    second.finish()
    withdraw.finish()
    activity_refresh()
    # then: no project row is left for the withdrawn action
    assert all(row[0] != 2 for row in summary())
    assert_as_rebuilt()
