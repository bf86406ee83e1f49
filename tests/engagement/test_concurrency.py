"""Simultaneous sign-ups: PostgreSQL only (SQLite serialises writers, so no race there)."""

import threading
import uuid

import pytest
from django.db import connection

from engagement import services
from engagement.models import Participant, StreetChampion
from tests.engagement.factories import PostcodeFactory
from tests.services import postgresql

pytestmark = pytest.mark.django_db(transaction=True)


@postgresql("the race needs PostgreSQL's row locking")
def test_two_simultaneous_signups_with_the_same_email_create_one_champion(ward):
    # given
    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    barrier = threading.Barrier(4)
    errors = []

    def sign_up(n: int) -> None:
        try:
            barrier.wait()
            services.champion_signup(
                signup=services.ChampionSignup(
                    full_name="Maureen Pike",
                    email="MAUREEN@example.org" if n % 2 else "maureen@example.org",
                    phone="",
                    postcode="NF1 1AB",
                    patch=f"Street {n}",
                    activities=["report_problems"],
                ),
                signup_key=uuid.uuid4(),
            )
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(4)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert errors == []
    assert Participant.objects.count() == 1
    champion = StreetChampion.objects.get()
    assert sorted(champion.patch.split("\n")) == [f"Street {n}" for n in range(4)]
