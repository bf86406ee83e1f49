"""A person's project records in a subject access export, and what erasure leaves."""

import pytest

from coproduction.privacy import DataSubject, personal_data
from engagement.models import ParticipationRecord
from projects import services
from projects.models import RosterEntry
from tests.projects import gate_helpers

pytestmark = pytest.mark.django_db


def test_a_residents_roster_places_are_exported(project, officer, participant):
    # given
    services.roster_entry_add(
        project=project,
        added_by=officer,
        participant=participant,
        role=RosterEntry.Role.CO_DESIGNER,
        started_on=project.created_at.date(),
    )
    # when
    exported = personal_data.export(DataSubject.for_participant(participant))
    # then
    assert exported["projects.rosterentry"] == [
        {
            "project": project.title,
            "role": "Co-designer",
            "participation_level": "Involve me",
            "started_on": project.created_at.date().isoformat(),
            "ended_on": None,
            "hours": "0.00",
        }
    ]


def test_an_officers_work_records_are_exported(project, officer, elected_member):
    # given
    gate_helpers.take_to(project, "deliver", officer=officer, member=elected_member)
    # when
    exported = personal_data.export(DataSubject.for_user(officer))
    # then
    assert len(exported["projects.stagetransition"]) == 2
    assert len(exported["projects.projectdocument"]) == 2
    assert exported["projects.commissioningassessment"][0]["provider"].startswith("Abbey")


def test_erasing_a_resident_leaves_an_anonymous_place(project, officer, participant):
    # given
    services.roster_entry_add(
        project=project,
        added_by=officer,
        participant=participant,
        role=RosterEntry.Role.VOLUNTEER,
        started_on=project.created_at.date(),
    )
    # when
    personal_data.erase(DataSubject.for_participant(participant))
    # then
    entry = RosterEntry.objects.get()
    entry.participant.refresh_from_db()
    assert entry.participant.full_name == ""
    assert entry.participant.erased_at is not None
    assert ParticipationRecord.objects.filter(project=project).count() == 1
