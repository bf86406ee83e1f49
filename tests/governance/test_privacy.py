import pytest

from coproduction.privacy import DataSubject, personal_data
from governance.models import Priority, PriorityReview, SeatApplication
from governance.services.lottery import lottery_draw, seat_application_add
from governance.services.priorities import ballot_cast, priority_review_save
from tests.governance.factories import EqualityResponseFactory, ParticipantFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def test_export_covers_seats_reviews_ballots_and_applications(
    board_membership, review_cycle, voting_cycle, seat_call, officer, board_member
):
    # given
    participant = board_membership.participant
    priority = review_cycle.priorities.first()
    priority_review_save(
        priority=priority, membership=board_membership, score=4, comment="Mine", saved_by=officer
    )
    ballot_cast(
        cycle=voting_cycle,
        participant=participant,
        choices={voting_cycle.priorities.first().pk: 1},
        channel="online",
        cast_by=board_member,
    )
    seat_application_add(
        call=seat_call,
        participant=participant,
        address_line="1 Road",
        postcode="NF1 1AA",
        statement="I care.",
        added_by=officer,
    )
    # when
    export = personal_data.export(DataSubject.for_participant(participant))
    # then
    assert export["governance.boardmembership"][0]["seat"] == "Community member"
    assert export["governance.priorityreview"][0]["comment"] == "Mine"
    assert export["governance.ballot"][0]["choices"][0]["points"] == 1
    assert export["governance.seatapplication"][0]["statement"] == "I care."


def test_erasure_cuts_what_identifies_a_resident(
    board_membership, review_cycle, seat_call, officer, ward
):
    # given
    participant = board_membership.participant
    priority = PriorityFactory(cycle=review_cycle, proposed_by=participant)
    priority_review_save(
        priority=priority,
        membership=board_membership,
        score=4,
        comment="About my street",
        saved_by=officer,
    )
    EqualityResponseFactory(pseudonym=participant.pseudonym, sex="male")
    application = seat_application_add(
        call=seat_call,
        participant=participant,
        address_line="1 Road",
        postcode="NF1 1AA",
        statement="I care.",
        added_by=officer,
    )
    other = ParticipantFactory(home_ward=ward)
    seat_application_add(
        call=seat_call,
        participant=other,
        address_line="2 Road",
        postcode="NF1 1AA",
        added_by=officer,
    )
    draw = lottery_draw(call=seat_call, drawn_by=officer, seed=1)
    # when
    personal_data.erase(DataSubject.for_participant(participant))
    # then
    assert Priority.objects.get(pk=priority.pk).proposed_by is None
    assert PriorityReview.objects.get(priority=priority).comment == ""
    application = SeatApplication.objects.get(pk=application.pk)
    assert (application.statement, application.household_key) == ("", "erased")
    draw.refresh_from_db()
    entry = next(e for e in draw.pool if e["application"] == application.pk)
    assert entry["household"] == f"erased-{application.pk}"
