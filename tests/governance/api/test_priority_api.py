"""/api/v1/priority-cycles/, /priorities/ and /decisions/: the partnership's priorities and
its board's published decisions, never who proposed or how anyone voted."""

import pytest

from governance.models import BoardMembership, Decision, MemberAttendance, Priority
from governance.services.meetings import (
    agenda_item_add,
    decision_record,
    member_attendance_set,
    minutes_publish,
    minutes_save,
)
from tests.governance.factories import (
    MeetingFactory,
    ParticipantFactory,
    PriorityCycleFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


def test_agency_sees_its_partnerships_priorities_only(
    police_api, fire_api, partnership, other_partnership, ward
):
    # given
    proposer = ParticipantFactory(full_name="Ann Proposer", home_ward=ward)
    ours = PriorityFactory(
        cycle=PriorityCycleFactory(partnership=partnership),
        title="Safer streets at night",
        proposed_by=proposer,
        forum_rank=1,
        forum_score=212,
    )
    theirs = PriorityFactory(cycle=PriorityCycleFactory(partnership=other_partnership))
    # when
    response = police_api.get("/api/v1/priorities/")
    # then
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [ours.pk]
    assert rows[0]["forum_rank"] == 1
    assert "Ann Proposer" not in response.content.decode()
    assert "proposed_by" not in rows[0]
    assert police_api.get(f"/api/v1/priorities/{theirs.pk}/").status_code == 404
    assert fire_api.get(f"/api/v1/priorities/{ours.pk}/").status_code == 404
    cycles = police_api.get("/api/v1/priority-cycles/").json()["results"]
    assert [row["id"] for row in cycles] == [ours.cycle_id]


def test_priorities_filter_by_status(police_api, partnership):
    # given
    cycle = PriorityCycleFactory(partnership=partnership)
    PriorityFactory(cycle=cycle, title="Adopted one", status=Priority.Status.ADOPTED)
    PriorityFactory(cycle=cycle, title="Still proposed")
    # when
    rows = police_api.get("/api/v1/priorities/?status=adopted").json()["results"]
    # then
    assert [row["title"] for row in rows] == ["Adopted one"]
    assert police_api.get("/api/v1/priorities/?status=maybe").status_code == 400


@pytest.fixture
def decided(board, officer):
    """A quorate board meeting with two items decided: one public, one exempt."""
    board.quorum = 2
    board.save()
    meeting = MeetingFactory(partnership=board.partnership, created_by=officer)
    public = agenda_item_add(meeting=meeting, title="Priorities for the year", added_by=officer)
    exempt = agenda_item_add(
        meeting=meeting, title="Grant to a named applicant", added_by=officer, is_public=False
    )
    members = list(BoardMembership.objects.filter(board=board, status="current"))
    member_attendance_set(
        meeting=meeting,
        statuses={m.pk: MemberAttendance.Status.PRESENT for m in members},
        recorded_by=officer,
    )
    first, second = members
    for item in (public, exempt):
        decision_record(
            item=item,
            motion=f"Agree: {item.title}.",
            proposer=first,
            seconder=second,
            votes={first: "for", second: "against"},
            recorded_by=officer,
        )
    return meeting


def test_decisions_appear_once_the_minutes_are_published_without_exempt_items(
    police, police_api, officer, decided, board_member
):
    # given
    decided.partnership.agencies.add(police)
    api = police_api
    before = api.get("/api/v1/decisions/").json()["count"]
    minutes_save(meeting=decided, minutes="The board agreed its priorities.", saved_by=officer)
    minutes_publish(meeting=decided, published_by=officer)
    # when
    response = api.get("/api/v1/decisions/")
    # then
    rows = response.json()["results"]
    assert before == 0
    assert [row["agenda_item"] for row in rows] == ["Priorities for the year"]
    assert (rows[0]["votes_for"], rows[0]["votes_against"]) == (1, 1)
    assert rows[0]["outcome"] == Decision.Outcome.LOST
    assert "votes" not in rows[0]
    assert board_member.full_name not in response.content.decode()


@pytest.mark.parametrize("page_size", [1, 10])
def test_priority_list_query_count_is_constant(
    police_api, partnership, project, django_assert_num_queries, page_size
):
    # given
    cycle = PriorityCycleFactory(partnership=partnership)
    for n in range(12):
        PriorityFactory(cycle=cycle, title=f"Priority {n}").projects.add(project)
    # when / then
    # token with its application, client and agency; page and total with cycles; their
    # projects; audit insert
    with django_assert_num_queries(4):
        response = police_api.get(f"/api/v1/priorities/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)


@pytest.mark.parametrize("page_size", [1, 10])
def test_priority_cycle_list_query_count_is_constant(
    police_api, partnership, django_assert_num_queries, page_size
):
    # given
    for _ in range(12):
        PriorityCycleFactory(partnership=partnership)
    # when / then
    # token with its application, client and agency; page and total with partnerships; audit
    with django_assert_num_queries(3):
        response = police_api.get(f"/api/v1/priority-cycles/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)


@pytest.mark.parametrize("page_size", [1, 10])
def test_decision_list_query_count_is_constant(
    police, police_api, officer, decided, django_assert_num_queries, page_size
):
    # given: twelve published decisions
    decided.partnership.agencies.add(police)
    item = decided.items.get(is_public=True)
    first, second = BoardMembership.objects.filter(board__partnership=decided.partnership)
    for n in range(11):
        decision_record(
            item=item,
            motion=f"Motion {n}.",
            proposer=first,
            seconder=second,
            votes={first: "for", second: "for"},
            recorded_by=officer,
        )
    minutes_save(meeting=decided, minutes="Agreed.", saved_by=officer)
    minutes_publish(meeting=decided, published_by=officer)
    # when / then
    # token with its application, client and agency; page and total with item, meeting and
    # event; audit insert
    with django_assert_num_queries(3):
        response = police_api.get(f"/api/v1/decisions/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)
