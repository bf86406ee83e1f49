"""Twenty people at once: sign-ups and votes lose nothing and duplicate nothing, even
when each also submits twice (a double click, a retried request). Threads, each on its
own PostgreSQL connection; SQLite serialises writers, so there is no race to test there.
"""

import contextlib
import threading
import uuid

import pytest
from django.core import mail
from django.db import connection

from engagement import services
from engagement.models import Participant, ParticipationRecord, StreetChampion
from governance.models import Ballot, BallotChoice
from governance.services.errors import AlreadyVotedError
from governance.services.priorities import ballot_cast
from tests.engagement.factories import ParticipantFactory, PostcodeFactory
from tests.services import postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    postgresql("the race needs PostgreSQL's row locking"),
]

PEOPLE = 20


def run_at_once(target, args_list) -> list[Exception]:
    """Start every call together (a barrier), each on its own connection."""
    barrier = threading.Barrier(len(args_list))
    errors: list[Exception] = []

    def run(*args):
        try:
            barrier.wait(timeout=60)
            target(*args)
        except Exception as error:  # collected and asserted by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_twenty_simultaneous_champion_sign_ups_each_sent_twice(ward):
    # given: twenty people, each of whose forms arrives twice at the same moment
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    keys = [uuid.uuid4() for _ in range(PEOPLE)]

    def sign_up(n: int) -> None:
        services.champion_signup(
            signup=services.ChampionSignup(
                full_name=f"Champion {n}",
                email=f"champion{n}@example.org",
                phone="",
                postcode="NF1 1AB",
                patch=f"Street {n}",
                activities=["report_problems"],
            ),
            signup_key=keys[n],
        )

    # when
    errors = run_at_once(sign_up, [(n,) for n in range(PEOPLE)] * 2)
    # then: twenty people, twenty champions, each with their own patch once
    assert errors == []
    assert Participant.objects.count() == PEOPLE
    champions = StreetChampion.objects.select_related("participant")
    assert sorted(c.participant.email for c in champions) == sorted(
        f"champion{n}@example.org" for n in range(PEOPLE)
    )
    assert all(c.patch == f"Street {c.participant.full_name.split()[-1]}" for c in champions)
    # and one confirmation email each
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"champion{n}@example.org" for n in range(PEOPLE)
    )


def test_twenty_simultaneous_votes_each_cast_twice(voting_cycle):
    # given: twenty people, each of whose ballots is submitted twice at once
    people = ParticipantFactory.create_batch(PEOPLE)
    priorities = list(voting_cycle.priorities.order_by("pk"))
    choice = {p.pk: priorities[p.pk % len(priorities)].pk for p in people}

    def cast(person) -> None:
        # The second of each pair is refused, as it should be.
        with contextlib.suppress(AlreadyVotedError):
            ballot_cast(
                cycle=voting_cycle,
                participant=person,
                choices={choice[person.pk]: 1},
                channel="online",
                cast_by=None,
            )

    # when
    errors = run_at_once(cast, [(person,) for person in people] * 2)
    # then: every vote counted, none twice
    assert errors == []
    assert Ballot.objects.filter(cycle=voting_cycle).count() == PEOPLE
    assert BallotChoice.objects.filter(ballot__cycle=voting_cycle).count() == PEOPLE
    for priority in priorities:
        expected = sum(1 for person in people if choice[person.pk] == priority.pk)
        assert BallotChoice.objects.filter(priority=priority).count() == expected
    assert ParticipationRecord.objects.filter(kind="vote").count() == PEOPLE
