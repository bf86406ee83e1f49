"""The engagement services other apps use to make participants and record attendance
(governance's forums and paper ballots, the projects' rosters, communities' skill
assets), so that the ledger, audit and erasure rules live in one place."""

from decimal import Decimal

import pytest

from engagement import services
from engagement.models import Attendance, Participant, ParticipationRecord
from governance.models import AuditEvent
from tests.accounts.factories import ResidentFactory
from tests.engagement.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_a_person_with_an_account_gets_one_profile_in_their_ward(resident, ward):
    # when
    first = services.participant_for_account(user=resident)
    again = services.participant_for_account(user=resident)
    # then
    assert first == again
    assert (first.user, first.full_name, first.home_ward) == (resident, "Aisha Rahman", ward)
    assert Participant.objects.filter(user=resident).count() == 1


def test_an_account_takes_over_the_unlinked_profile_with_its_email(ward):
    # given: the resident signed a paper form before they had an account
    paper = ParticipantFactory(full_name="Aisha Rahman", email="aisha@example.org")
    user = ResidentFactory(email="Aisha@Example.org", areas=[ward])
    # when
    participant = services.participant_for_account(user=user)
    # then
    assert participant == paper
    paper.refresh_from_db()
    assert paper.user == user
    assert Participant.objects.count() == 1


def test_a_profile_linked_to_another_account_is_never_taken_over(ward):
    other = ResidentFactory(email="shared@example.org", areas=[ward])
    taken = services.participant_for_account(user=other)
    user = ResidentFactory(email="second@example.org", areas=[ward])
    Participant.objects.filter(pk=taken.pk).update(email="second@example.org")
    participant = services.participant_for_account(user=user)
    assert participant != taken
    assert participant.user == user


def test_a_reference_stands_for_one_person():
    first, created = services.participant_get_or_create_by_reference(
        reference=" RV-0001 ", defaults={"full_name": ""}
    )
    again, created_again = services.participant_get_or_create_by_reference(reference="RV-0001")
    assert (created, created_again) == (True, False)
    assert first == again
    assert first.reference == "RV-0001"


@pytest.mark.parametrize(
    ("reference", "message"),
    [("   ", "Enter the reference"), ("X" * 61, "at most 60 characters")],
)
def test_a_bad_reference_is_refused_and_makes_no_one(reference, message):
    with pytest.raises(services.EngagementError, match=message):
        services.participant_get_or_create_by_reference(reference=reference)
    assert not Participant.objects.exists()


def test_attendance_recorded_writes_the_ledger_and_absence_takes_it_out(
    held_event, ward_participant, officer
):
    # when
    attended = services.attendance_record(
        event=held_event, participant=ward_participant, attended=True, actor=officer
    )
    # then: the event's length as hours, one ledger entry, audited
    assert attended.status == Attendance.Status.ATTENDED
    assert attended.hours == services._event_hours(held_event)
    record = ParticipationRecord.objects.get(participant=ward_participant)
    assert (record.kind, record.event) == ("attendance", held_event)
    # when: recorded again, then marked absent
    services.attendance_record(
        event=held_event, participant=ward_participant, attended=True, actor=officer
    )
    services.attendance_record(
        event=held_event, participant=ward_participant, attended=False, actor=officer
    )
    # then
    attendance = Attendance.objects.get(event=held_event, participant=ward_participant)
    assert (attendance.status, attendance.hours) == (Attendance.Status.ABSENT, None)
    assert not ParticipationRecord.objects.filter(participant=ward_participant).exists()
    assert AuditEvent.objects.filter(action="engagement.attendance.record").count() == 2


def test_attendance_refuses_negative_hours(held_event, ward_participant, officer):
    with pytest.raises(services.EngagementError, match="negative"):
        services.attendance_record(
            event=held_event,
            participant=ward_participant,
            attended=True,
            actor=officer,
            hours=Decimal("-1"),
        )
    assert not Attendance.objects.exists()
