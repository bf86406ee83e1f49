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
def held_event(ward):
    """A litter pick held yesterday, whose register can be taken."""
    return EventFactory(area=ward, title="Riverside litter pick", held=True)


@pytest.fixture
def held_attendance(held_event, ward_participant):
    return AttendanceFactory(event=held_event, participant=ward_participant)


@pytest.fixture
def on_commit_now(monkeypatch):
    """Run on-commit callbacks (emails) at once: a test's transaction never commits."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


# Volunteering -------------------------------------------------------------------------


@pytest.fixture
def ward_task(db):
    from tests.engagement.factories import VolunteerTaskFactory

    return VolunteerTaskFactory(name="Litter pick")


@pytest.fixture
def ward_assessment(ward, ward_task):
    """An approved assessment of the litter pick for the ward (written and approved by two
    other officers for it)."""
    from tests.engagement.factories import RiskAssessmentFactory

    return RiskAssessmentFactory(task=ward_task, area=ward)


@pytest.fixture
def ward_draft_assessment(ward, ward_task):
    from tests.engagement.factories import RiskAssessmentFactory

    return RiskAssessmentFactory(task=ward_task, area=ward, status="draft")


@pytest.fixture
def ward_activity(ward, ward_task):
    from tests.engagement.factories import VolunteerActivityFactory

    return VolunteerActivityFactory(task=ward_task, area=ward, title="Abbey Fields litter pick")


@pytest.fixture
def ward_toolkit(ward):
    from tests.engagement.factories import ToolkitFactory

    return ToolkitFactory(home_area=ward, code="NF-ENV-01")


@pytest.fixture
def ward_loan(ward_toolkit, ward_participant):
    from tests.engagement.factories import ToolkitLoanFactory

    return ToolkitLoanFactory(toolkit=ward_toolkit, holder=ward_participant)


@pytest.fixture
def ward_activity_report(ward_participant, ward_task):
    from tests.engagement.factories import ActivityReportFactory

    return ActivityReportFactory(reporter=ward_participant, task=ward_task)


@pytest.fixture
def ward_incident(ward_activity):
    from tests.engagement.factories import IncidentFactory

    return IncidentFactory(activity=ward_activity)
