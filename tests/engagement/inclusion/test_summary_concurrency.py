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
from tests.engagement.factories import EventFactory, ParticipantFactory
from tests.engagement.inclusion.factories import (
    EventSeriesFactory,
    ParticipationRecordFactory,
    ProjectFactory,
    on,
)
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


def writing(person, ward, day: date) -> Worker:
    """A writer adding an action for `person` on `day` and holding its transaction open
    (started, and done writing)."""
    writer = Worker(
        lambda: ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(day))
    )
    writer.start()
    assert writer.done.wait(WAIT)
    return writer


def test_an_action_written_while_its_month_is_queued_is_counted(ward):
    # given: March queued for a person
    person = ParticipantFactory(home_ward=ward)
    ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(date(2026, 3, 5)))
    # and a writer adding another March action, not yet committed
    writer = writing(person, ward, date(2026, 3, 9))
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


class Steps(threading.Thread):
    """Runs its steps one at a time, each when `step` is called, in one transaction
    (and connection) that commits after the last."""

    def __init__(self, *steps):
        super().__init__(daemon=True)
        self.steps, self.errors = steps, []
        self.next, self.finished = threading.Semaphore(0), threading.Event()
        self.done = [threading.Event() for _ in steps]

    def run(self) -> None:
        try:
            with transaction.atomic():
                for step, done in zip(self.steps, self.done, strict=True):
                    assert self.next.acquire(timeout=WAIT)
                    step()
                    done.set()
        except Exception as error:
            self.errors.append(error)
        finally:
            for done in self.done:
                done.set()
            self.finished.set()
            connections.close_all()

    def step(self, index: int) -> bool:
        """Start step `index`; whether it finished within a second (or is waiting)."""
        self.next.release()
        return self.done[index].wait(1)

    def finish(self) -> None:
        self.join(WAIT)
        assert not self.is_alive()
        assert not self.errors, self.errors


def test_writers_queueing_the_same_months_in_opposite_order_do_not_wait_on_each_other(ward):
    # given: a person's March and April queued, not yet refreshed
    person = ParticipantFactory(home_ward=ward)
    march, april = on(date(2026, 3, 5)), on(date(2026, 4, 5))
    for day in (march, april):
        ParticipationRecordFactory(participant=person, area=ward, occurred_at=day)

    def action(day):
        return lambda: ParticipationRecordFactory(participant=person, area=ward, occurred_at=day)

    # and two writers, each adding a March and an April action in its own statements,
    # in opposite orders
    first, second = Steps(action(march), action(april)), Steps(action(april), action(march))
    first.start()
    second.start()
    # when: their statements interleave
    assert first.step(0)
    assert second.step(0)
    # then: neither waits on the other (an update of the entry would lock it: each would
    # wait on the other until the database broke the deadlock by failing one)
    assert first.step(1)
    assert second.step(1)
    first.finish()
    second.finish()
    # and every action is counted
    activity_refresh()
    assert (0, 0, date(2026, 3, 1), person.pk, 3) in {row[:5] for row in summary()}
    assert (0, 0, date(2026, 4, 1), person.pk, 3) in {row[:5] for row in summary()}
    assert_as_rebuilt()


def test_a_refresh_leaves_a_person_queued_whole_rather_than_wait_on_a_writer(ward):
    # given: a person summarised, then queued whole (a repair)
    person = ParticipantFactory(home_ward=ward)
    ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(date(2026, 3, 5)))
    activity_refresh()
    StaleParticipant.objects.create(participant_id=person.pk)
    # and a writer adding another March action, not yet committed: it holds March's
    # entry, which the refresh would queue
    writer = writing(person, ward, date(2026, 3, 9))
    # when: a refresh runs meanwhile
    activity_refresh()
    # then: it returned without waiting for the writer, and left the person queued whole
    assert list(StaleParticipant.objects.values_list("participant_id", flat=True)) == [person.pk]
    # and once the writer commits, the next refresh rebuilds them
    writer.finish()
    activity_refresh()
    assert not StaleParticipant.objects.exists()
    assert (0, 0, date(2026, 3, 1), person.pk, 2) in {row[:5] for row in summary()}
    assert_as_rebuilt()


def test_a_refresh_passes_over_a_batch_it_would_wait_for_and_takes_the_next(ward):
    # given: two people summarised, then queued whole
    held, free = ParticipantFactory(home_ward=ward), ParticipantFactory(home_ward=ward)
    for person in (held, free):
        ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(date(2026, 3, 5)))
    activity_refresh()
    StaleParticipant.objects.bulk_create(
        [StaleParticipant(participant_id=held.pk), StaleParticipant(participant_id=free.pk)]
    )
    # and a writer holding the first one's March entry
    writer = writing(held, ward, date(2026, 3, 9))
    # when: a refresh taking one person at a time runs meanwhile
    activity_refresh(batch=1)
    # then: the first stays queued whole, and the second was taken
    assert list(StaleParticipant.objects.values_list("participant_id", flat=True)) == [held.pk]
    writer.finish()
    activity_refresh()
    assert not StaleParticipant.objects.exists()
    assert_as_rebuilt()


@pytest.mark.parametrize("first", ["action", "series change"])
def test_an_action_at_an_event_changing_series_is_counted_in_the_new_series(ward, first):
    # given: an event in a series, with someone's action summarised
    before, after = EventSeriesFactory(), EventSeriesFactory()
    event = EventFactory(area=ward, series=before)
    regular, newcomer = ParticipantFactory(home_ward=ward), ParticipantFactory(home_ward=ward)
    ParticipationRecordFactory(
        participant=regular, area=ward, event=event, occurred_at=on(date(2026, 3, 5))
    )
    activity_refresh()
    # and, at once, a newcomer's action there and the event moved to another series
    action = Worker(
        lambda: ParticipationRecordFactory(
            participant=newcomer, area=ward, event=event, occurred_at=on(date(2026, 4, 5))
        )
    )
    change = Worker(lambda: type(event).objects.filter(pk=event.pk).update(series=after))
    one, other = (action, change) if first == "action" else (change, action)
    one.start()
    assert one.done.wait(WAIT)
    # when: the other waits for the first to commit (neither sees the other's change
    # until then), with refreshes (beat's) running between the commits
    other.start()
    assert not other.done.wait(1)
    activity_refresh()
    one.finish()
    assert other.done.wait(WAIT)
    activity_refresh()
    other.finish()
    activity_refresh()
    # then: both people are counted in the new series, none in the old
    series_rows = {(row[1], row[3]) for row in summary() if row[0] == 5}
    assert series_rows == {(after.pk, regular.pk), (after.pk, newcomer.pk)}
    assert_as_rebuilt()
