"""This app's shared pytest fixtures, registered for the whole suite in tests/conftest.py.

Fixtures the role x page matrix names live here, so that every test module sees them.
"""

import pytest

from tests.engagement.factories import (
    AttendanceFactory,
    EventFactory,
    IssueReportFactory,
    ParticipantFactory,
    StreetChampionFactory,
)


@pytest.fixture
def ward_participant(ward):
    return ParticipantFactory(full_name="Jo Bloggs", home_ward=ward)


@pytest.fixture
def resident_participant(resident, ward):
    """The resident fixture's own participant profile."""
    return ParticipantFactory(
        user=resident, full_name=resident.full_name, email=resident.email, home_ward=ward
    )


@pytest.fixture
def ward_champion(ward_participant):
    return StreetChampionFactory(participant=ward_participant)


@pytest.fixture
def ward_report(ward_participant):
    return IssueReportFactory(reporter=ward_participant)


@pytest.fixture
def ward_event(ward):
    return EventFactory(area=ward, title="Town Centre litter pick")


@pytest.fixture
def ward_attendance(ward_event, ward_participant):
    return AttendanceFactory(event=ward_event, participant=ward_participant)


@pytest.fixture
def on_commit_now(monkeypatch):
    """Run on-commit callbacks (emails) at once: a test's transaction never commits."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
