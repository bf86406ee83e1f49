"""This app's shared pytest fixtures, registered for the whole suite in tests/conftest.py.

Fixtures the role x page matrix names live here, so that every test module sees them.
The `project` lies in the `ward` (within the officer's and board member's `aap`), with
the partner user's agency as a partner; `other_project` lies in `other_ward`, outside
everyone's areas.
"""

import pytest
from django.core.files.base import ContentFile

from tests.projects.factories import (
    FundingLineFactory,
    IndicatorFactory,
    MeasurementFactory,
    ParticipantFactory,
    ProjectDocumentFactory,
    ProjectFactory,
    RosterEntryFactory,
)


@pytest.fixture
def project(ward, officer, partner_user):
    return ProjectFactory(
        title="Abbey Fields litter champions",
        areas=[ward],
        lead_officer=officer,
        partner_agencies=[partner_user.partner_agency],
    )


@pytest.fixture
def other_project(other_ward):
    return ProjectFactory(title="Rivermouth youth club", areas=[other_ward])


@pytest.fixture
def participant(ward):
    return ParticipantFactory(full_name="Jane Resident", home_ward=ward)


@pytest.fixture
def roster_entry(project, participant):
    return RosterEntryFactory(project=project, participant=participant)


@pytest.fixture
def funding_line(project):
    return FundingLineFactory(project=project)


@pytest.fixture
def indicator(project):
    return IndicatorFactory(project=project, name="Calls about anti-social behaviour")


@pytest.fixture
def measurement(indicator):
    return MeasurementFactory(indicator=indicator)


@pytest.fixture
def project_document(project, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = ProjectDocumentFactory(project=project, recorded_by=officer)
    document.file.save("notes.txt", ContentFile(b"Workshop notes"), save=False)
    document.file_name = "notes.txt"
    document.save()
    return document
