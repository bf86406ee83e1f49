"""The nightly retention run at scale (coproduction.retention, docs/retention.md).

Builds, with bulk inserts, a year's expired records of the kinds the schedule deals with
one by one (unconfirmed street champion sign-ups of people known only by them, ended
champions, equality answers of people inactive for over three years) and in bulk
(registrations never attended, expired sessions), then prints the first run (everything
to do), the records it dealt with per second, and the second run (nothing to do) with its
ratio to the first: the nightly cost once the backlog is cleared.
"""

import time
from datetime import timedelta

from benchmarks.harness import Figure, benchmark_database

SCALE = {"small": 500, "county": 5_000, "national": 25_000}


def run(options) -> list[Figure]:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from coproduction.retention import retention
    from engagement.models import (
        Attendance,
        EqualityResponse,
        Event,
        Participant,
        StreetChampion,
    )
    from tests.communities.factories import CouncilFactory, GroupingAreaFactory, WardFactory

    n = SCALE[options.scale]
    now = timezone.now()
    long_ago = now - timedelta(days=4 * 365)
    with benchmark_database():
        council = CouncilFactory(name="Bench council")
        ward = WardFactory(name="Bench ward", parent=GroupingAreaFactory(parent=council))
        people = Participant.objects.bulk_create(
            Participant(full_name=f"Person {i}", email=f"p{i}@example.org", home_ward=ward)
            for i in range(3 * n)
        )
        unconfirmed, ended, dormant = people[:n], people[n : 2 * n], people[2 * n :]
        StreetChampion.objects.bulk_create(
            [
                StreetChampion(
                    participant=p, ward=ward, patch="Elm Road", signed_up_at=long_ago,
                    status=StreetChampion.Status.UNCONFIRMED,
                )
                for p in unconfirmed
            ]
            + [
                StreetChampion(
                    participant=p, ward=ward, patch="Ash Grove", status_changed_at=long_ago,
                    status=StreetChampion.Status.ENDED,
                )
                for p in ended
            ]
        )  # fmt: skip
        EqualityResponse.objects.bulk_create(
            EqualityResponse(
                pseudonym=p.pseudonym, lawful_basis="explicit_consent", recorded_at=long_ago
            )
            for p in dormant
        )
        Participant.objects.filter(pk__in=[p.pk for p in dormant]).update(updated_at=long_ago)
        event = Event.objects.create(
            title="Old litter pick", kind=Event.Kind.LITTER_PICK, starts_at=long_ago,
            ends_at=long_ago, place="Park", area=ward, check_in_code="OLD1",
        )  # fmt: skip
        Attendance.objects.bulk_create(Attendance(event=event, participant=p) for p in ended)
        Session.objects.bulk_create(
            Session(session_key=f"bench{i:034d}", session_data="", expire_date=long_ago)
            for i in range(n)
        )

        started = time.perf_counter()
        first = retention.run()
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        second = retention.run()
        second_seconds = time.perf_counter() - started

    dealt = sum(v or 0 for v in first.values())
    assert not any(second.values()), second  # the run must be idempotent
    return [
        Figure(f"first run ({dealt:,} records)", first_seconds, goal="well inside the night"),
        Figure("records per second", dealt / first_seconds, unit="/s"),
        Figure("second run (nothing to do)", second_seconds, baseline=first_seconds),
    ]
