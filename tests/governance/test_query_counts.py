"""Every governance list page runs a fixed number of queries, however many rows it shows."""

import pytest
from django.urls import reverse

from governance.audit import audit_record
from governance.models import Meeting, PriorityCycle
from governance.services.meetings import minutes_publish, minutes_save
from governance.services.priorities import priority_review_save
from governance.signoffs import signoff_request
from tests.governance.factories import (
    BudgetFactory,
    MeetingFactory,
    PartnershipFactory,
    PriorityCycleFactory,
    PriorityFactory,
    ProjectFactory,
)
from tests.projects.factories import FundingLineFactory

pytestmark = pytest.mark.django_db

# Every signed-in page: the session, the user, the user's roles (groups).
SIGNED_IN = 3


def grow_partnerships(aap, n):
    for _ in range(n):
        PartnershipFactory(area=aap)


def test_partnership_list_queries(client, officer, aap, django_assert_num_queries):
    # given
    client.force_login(officer)
    grow_partnerships(aap, 2)
    url = reverse("governance:partnership_list")
    client.get(url)
    # then: signed in, partnerships with their board and counts
    with django_assert_num_queries(SIGNED_IN + 1):
        client.get(url)
    grow_partnerships(aap, 5)
    with django_assert_num_queries(SIGNED_IN + 1):
        response = client.get(url)
    assert len(response.context["partnerships"]) == 7


def grow_councillor_page(officer, ward, partnership, n):
    for _ in range(n):
        project = ProjectFactory(areas=[ward])
        signoff_request(
            kind="stage_gate",
            subject=project,
            key="stage:design",
            summary="Leave design.",
            requested_by=officer,
            areas=[ward],
        )
        budget = BudgetFactory(area=ward.parent)
        FundingLineFactory(project=project, budget=budget, amount=1000)
        FundingLineFactory(project=project, source="external_match", funder_name="Lottery")
        cycle = PriorityCycleFactory(partnership=partnership, created_by=officer)
        PriorityFactory.create_batch(2, cycle=cycle)


def test_councillor_page_queries(
    client, officer, elected_member, ward, partnership, django_assert_num_queries
):
    # given
    client.force_login(elected_member)
    grow_councillor_page(officer, ward, partnership, 2)
    url = reverse("governance:councillor")
    client.get(url)
    # then: signed in, delegations, requests, their areas, wards, projects, the projects'
    # areas, budgets with totals, their levered money (projects.ledger), priorities with
    # status
    expected = SIGNED_IN + 9
    with django_assert_num_queries(expected):
        client.get(url)
    grow_councillor_page(officer, ward, partnership, 4)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["requests"]) == 6
    assert len(response.context["priorities"]) == 12


def grow_board_member_page(cycle, membership, officer, n):
    for _ in range(n):
        priority = PriorityFactory(cycle=cycle)
        priority_review_save(
            priority=priority, membership=membership, score=3, comment="", saved_by=officer
        )


def test_board_member_page_queries(
    client,
    board_member,
    board_membership,
    review_cycle,
    officer,
    adopted_priority,
    django_assert_num_queries,
):
    # given
    client.force_login(board_member)
    grow_board_member_page(review_cycle, board_membership, officer, 2)
    url = reverse("governance:board_member")
    client.get(url)
    # then: signed in, memberships, cycles, priorities with votes, own reviews,
    # adopted priorities with status, coming meetings, the cycle's latest inclusion report
    # (who voted)
    with django_assert_num_queries(SIGNED_IN + 7):
        client.get(url)
    grow_board_member_page(review_cycle, board_membership, officer, 4)
    with django_assert_num_queries(SIGNED_IN + 7):
        response = client.get(url)
    assert len(response.context["panels"][0].cycles[0].priorities) == 9


def test_audit_trail_queries(client, administrator, officer, django_assert_num_queries):
    # given
    client.force_login(administrator)
    for n in range(3):
        audit_record(actor=officer, action="test.read", object_type="x", object_id=n)
    url = reverse("governance:audit_list")
    client.get(url)
    # then: session, user, record types for the filter, count, a page of events with
    # actors, the reader's roles (for their own audit entry), that entry
    with django_assert_num_queries(7):
        client.get(url)
    for n in range(80):
        audit_record(actor=officer, action="test.read", object_type="x", object_id=n)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 50


def grow_minutes(partnership, officer, n):
    for _ in range(n):
        meeting = MeetingFactory(
            partnership=partnership, kind=Meeting.Kind.FORUM, created_by=officer
        )
        minutes_save(meeting=meeting, minutes="Met.", saved_by=officer)
        minutes_publish(meeting=meeting, published_by=officer)


def test_published_minutes_list_queries(client, partnership, officer, django_assert_num_queries):
    # given
    grow_minutes(partnership, officer, 2)
    url = reverse("governance:minutes_list")
    # then: meetings with their events and partnerships (visitors need no session query)
    with django_assert_num_queries(1):
        client.get(url)
    grow_minutes(partnership, officer, 3)
    with django_assert_num_queries(1):
        response = client.get(url)
    assert len(response.context["meetings"]) == 5


def test_open_cycles_queries(client, resident, partnership, officer, django_assert_num_queries):
    # given
    client.force_login(resident)
    PriorityCycleFactory(partnership=partnership, created_by=officer)
    url = reverse("governance:cycle_open_list")
    client.get(url)
    # then: signed in, the cycles they voted in, the open cycles
    with django_assert_num_queries(SIGNED_IN + 2):
        client.get(url)
    PriorityCycleFactory.create_batch(
        3, partnership=partnership, created_by=officer, status=PriorityCycle.Status.VOTING
    )
    with django_assert_num_queries(SIGNED_IN + 2):
        response = client.get(url)
    assert len(response.context["cycles"]) == 4


def test_cycle_detail_queries(
    client, officer, review_cycle, board_membership, django_assert_num_queries
):
    # given
    client.force_login(officer)
    url = reverse("governance:cycle_detail", args=[review_cycle.pk])
    client.get(url)
    # then: signed in, the cycle, its partnership's visibility, priorities with votes and
    # status, board scores, ballots by channel, the manage permission, the cycle's latest
    # inclusion report (who voted)
    with django_assert_num_queries(SIGNED_IN + 7):
        client.get(url)
    PriorityFactory.create_batch(6, cycle=review_cycle)
    with django_assert_num_queries(SIGNED_IN + 7):
        response = client.get(url)
    assert len(response.context["rows"]) == 9
