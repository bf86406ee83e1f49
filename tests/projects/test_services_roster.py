"""The roster: one place per person, residents counted in the participation ledger."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from engagement.models import ParticipationRecord
from governance.models import AuditEvent
from projects import services
from projects.models import RosterEntry
from tests.accounts.factories import OfficerFactory, PartnerUserFactory
from tests.projects.factories import ParticipantFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def test_adding_a_resident_records_their_participation(project, officer, participant):
    # when
    entry = services.roster_entry_add(
        project=project,
        added_by=officer,
        participant=participant,
        role=RosterEntry.Role.CO_DESIGNER,
        participation_level="leading",
        started_on=TODAY,
        hours=Decimal("6"),
    )
    # then
    record = ParticipationRecord.objects.get(participant=participant)
    assert record.kind == ParticipationRecord.Kind.ROSTER
    assert record.project == project
    assert record.area == participant.home_ward
    assert timezone.localtime(record.occurred_at).date() == TODAY
    assert AuditEvent.objects.filter(
        action="project.roster_added", object_id=str(entry.pk)
    ).exists()


def test_removing_a_resident_withdraws_their_participation(project, officer, participant):
    # given
    entry = services.roster_entry_add(
        project=project,
        added_by=officer,
        participant=participant,
        role=RosterEntry.Role.VOLUNTEER,
        started_on=TODAY,
    )
    # when
    services.roster_entry_remove(entry=entry, removed_by=officer)
    # then
    assert not RosterEntry.objects.filter(pk=entry.pk).exists()
    assert not ParticipationRecord.objects.filter(participant=participant).exists()
    assert AuditEvent.objects.filter(action="project.roster_removed").exists()


def test_changing_the_start_moves_the_ledger_entry(project, officer, participant):
    # given
    entry = services.roster_entry_add(
        project=project,
        added_by=officer,
        participant=participant,
        role=RosterEntry.Role.VOLUNTEER,
        started_on=TODAY,
    )
    # when
    services.roster_entry_update(
        entry=entry,
        updated_by=officer,
        expected_version=entry.version,
        role=RosterEntry.Role.STREET_CHAMPION,
        participation_level="involved",
        started_on=datetime.date(2026, 1, 5),
        ended_on=None,
        hours=Decimal("12.5"),
    )
    # then
    record = ParticipationRecord.objects.get(participant=participant)
    assert timezone.localtime(record.occurred_at).date() == datetime.date(2026, 1, 5)
    event = AuditEvent.objects.get(action="project.roster_changed")
    assert set(event.fields) == {"role", "started_on", "hours"}


def test_the_same_person_appears_once_per_project(project, officer, participant):
    # given
    services.roster_entry_add(
        project=project,
        added_by=officer,
        participant=participant,
        role=RosterEntry.Role.VOLUNTEER,
        started_on=TODAY,
    )
    # when
    with pytest.raises(services.ProjectRuleError) as refused:
        services.roster_entry_add(
            project=project,
            added_by=officer,
            participant=participant,
            role=RosterEntry.Role.CO_DESIGNER,
            started_on=TODAY,
        )
    # then
    assert "already on the roster as volunteer" in refused.value.messages[0]
    assert project.roster.count() == 1


def test_the_same_resident_on_two_projects_is_one_participant(project, officer, participant, ward):
    # given
    second = ProjectFactory(areas=[ward])
    # when
    for each in (project, second):
        services.roster_entry_add(
            project=each,
            added_by=officer,
            participant=participant,
            role=RosterEntry.Role.VOLUNTEER,
            started_on=TODAY,
        )
    # then
    assert participant.roster_entries.count() == 2
    assert ParticipationRecord.objects.filter(participant=participant).count() == 2


def test_staff_lead_must_be_an_officer(project, officer, elected_member, participant):
    with pytest.raises(services.ProjectRuleError) as refused:
        services.roster_entry_add(
            project=project,
            added_by=officer,
            user=elected_member,
            role=RosterEntry.Role.STAFF_LEAD,
            started_on=TODAY,
        )
    assert "staff lead must be" in refused.value.error_dict["role"][0].message
    with pytest.raises(services.ProjectRuleError):
        services.roster_entry_add(
            project=project,
            added_by=officer,
            participant=participant,
            role=RosterEntry.Role.STAFF_LEAD,
            started_on=TODAY,
        )


def test_partner_lead_must_be_from_a_partner_agency(project, officer, ward):
    partner = PartnerUserFactory(areas=[ward])
    entry = services.roster_entry_add(
        project=project,
        added_by=officer,
        user=partner,
        role=RosterEntry.Role.PARTNER_LEAD,
        started_on=TODAY,
    )
    assert entry.user == partner
    assert not ParticipationRecord.objects.exists()


def test_roster_dates_and_hours_are_checked(project, officer, participant):
    with pytest.raises(services.ProjectRuleError) as refused:
        services.roster_entry_add(
            project=project,
            added_by=officer,
            participant=participant,
            role=RosterEntry.Role.VOLUNTEER,
            started_on=TODAY,
            ended_on=TODAY - datetime.timedelta(days=1),
            hours=Decimal("-1"),
        )
    assert set(refused.value.error_dict) == {"ended_on", "hours"}
    assert not RosterEntry.objects.exists()


def test_a_roster_place_cannot_start_in_the_future(project, officer):
    # A place starting later would list a staff lead the stage gate does not count.
    with pytest.raises(services.ProjectRuleError) as refused:
        services.roster_entry_add(
            project=project,
            added_by=officer,
            user=officer,
            role=RosterEntry.Role.STAFF_LEAD,
            started_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert refused.value.message_dict == {
        "started_on": ["The start date cannot be in the future: add them once they start."]
    }
    assert not RosterEntry.objects.exists()


def test_officer_of_another_area_cannot_change_the_roster(project, participant, other_ward):
    outsider = OfficerFactory(areas=[other_ward.parent])
    with pytest.raises(PermissionDenied):
        services.roster_entry_add(
            project=project,
            added_by=outsider,
            participant=ParticipantFactory(home_ward=other_ward),
            role=RosterEntry.Role.VOLUNTEER,
            started_on=TODAY,
        )
