"""The home page: the visitors' landing page, and each role's next actions with counts,
in a fixed number of queries whatever the number of rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement.models import Attendance, Event, RiskAssessment, StreetChampion
from governance.models import Ballot, PriorityCycle
from tests.engagement.factories import (
    AttendanceFactory,
    EventFactory,
    IssueReportFactory,
    ParticipantFactory,
    RiskAssessmentFactory,
    StreetChampionFactory,
    ToolkitFactory,
    ToolkitLoanFactory,
)
from tests.governance.factories import (
    PartnershipFactory,
    PriorityCycleFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


def actions(response) -> dict[str, int]:
    return {
        action.key: action.count
        for section in response.context["sections"]
        for action in section.actions
    }


def test_landing_page_links_to_what_a_resident_can_do_without_an_account(client):
    # when
    response = client.get(reverse("home"))
    # then
    page = response.content.decode()
    for name in [
        "engagement:report_start",
        "engagement:champion_start",
        "engagement:event_list_public",
        "projects:public_list",
        "communities:asset_map",
        "inclusion:public_list",
    ]:
        assert f'href="{reverse(name)}"' in page, name
    assert "What you can do without an account" in page


def officer_world(ward, officer, n: int) -> None:
    for _ in range(n):
        StreetChampionFactory(
            participant__home_ward=ward, status=StreetChampion.Status.AWAITING_APPROVAL
        )
        IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
        RiskAssessmentFactory(area=ward, status=RiskAssessment.Status.SUBMITTED)
    StreetChampionFactory(participant__home_ward=ward)  # active: not waiting


@pytest.mark.parametrize("rows", [1, 4])
def test_officer_home_counts_next_actions_in_fixed_queries(
    client, officer, ward, other_ward, rows, django_assert_num_queries
):
    # given
    officer_world(ward, officer, rows)
    officer_world(other_ward, officer, 2)  # outside the officer's areas
    RiskAssessmentFactory(area=ward, status=RiskAssessment.Status.SUBMITTED, author=officer)
    client.force_login(officer)
    # when: session, user, roles, every count in one query, assigned areas, people by
    # role in the areas, officers covering them
    with django_assert_num_queries(7):
        response = client.get(reverse("home"))
    # then
    counts = actions(response)
    assert counts["champions_waiting"] == rows
    assert counts["reports_open"] == rows
    assert counts["assessments_awaiting"] == rows  # not the officer's own
    assert counts["loans_overdue"] == 0
    assert f"{rows} street champion" in response.content.decode()


def test_officer_home_counts_overdue_loans(client, officer, ward):
    # given
    ToolkitLoanFactory(
        toolkit=ToolkitFactory(home_area=ward),
        lent_on=timezone.localdate() - timedelta(days=30),
        due_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(officer)
    # when
    response = client.get(reverse("home"))
    # then
    assert actions(response)["loans_overdue"] == 1
    assert f"{reverse('engagement:toolkit_list')}?status=overdue" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_board_member_home_counts_priorities_to_review(
    client, board_member, board, partnership, rows, django_assert_num_queries
):
    # given
    cycle = PriorityCycleFactory(partnership=partnership, status=PriorityCycle.Status.BOARD_REVIEW)
    PriorityFactory.create_batch(rows, cycle=cycle)
    client.force_login(board_member)
    # when: session, user, roles, every count in one query, assigned areas, councillors
    with django_assert_num_queries(6):
        response = client.get(reverse("home"))
    # then
    assert actions(response)["priorities_to_review"] == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_resident_home_shows_their_reports_and_votes(
    client, resident, ward, rows, django_assert_num_queries
):
    # given
    participant = ParticipantFactory(user=resident, email=resident.email, home_ward=ward)
    StreetChampionFactory(participant=participant)
    IssueReportFactory.create_batch(rows, reporter=participant)
    cycle = PriorityCycleFactory(
        partnership=PartnershipFactory(area=ward.parent), status=PriorityCycle.Status.VOTING
    )
    PriorityFactory(cycle=cycle)
    client.force_login(resident)
    # when: session, user, roles, every count in one query, assigned areas, councillors,
    # the participant with their champion record, their latest reports
    with django_assert_num_queries(8):
        response = client.get(reverse("home"))
    # then
    counts = actions(response)
    assert counts["my_reports_open"] == rows
    assert counts["votes_open"] == 1
    page = response.content.decode()
    assert "You are a street champion for Town Centre" in page
    assert page.count('href="/reports/') == rows


def test_a_champion_waiting_for_approval_is_not_promised_an_email_no_one_sends(
    client, resident, ward
):
    """Approving a champion sends nothing: the officer gets in touch to arrange the
    induction, as the sign-up's last page and the resident's own page say."""
    from django.core import mail

    from engagement.services import champion_status_change

    # given
    participant = ParticipantFactory(user=resident, email=resident.email, home_ward=ward)
    champion = StreetChampionFactory(
        participant=participant, status=StreetChampion.Status.AWAITING_APPROVAL
    )
    client.force_login(resident)
    # when
    page = client.get(reverse("home")).content.decode()
    mail.outbox.clear()
    champion_status_change(champion=champion, action="approve", actor=resident)
    # then
    assert mail.outbox == []
    assert "We will email you" not in page
    assert "an officer for your area will be in touch to arrange your induction" in page


def test_resident_home_counts_a_cycle_taking_proposals_as_one_to_propose_to_not_a_vote(
    client, resident, ward, django_assert_num_queries
):
    # given: one cycle taking proposals, one open for voting, one the resident voted in
    participant = ParticipantFactory(user=resident, email=resident.email, home_ward=ward)
    partnership = PartnershipFactory(area=ward.parent)
    PriorityCycleFactory(partnership=partnership, status=PriorityCycle.Status.PROPOSING)
    PriorityCycleFactory(partnership=partnership, status=PriorityCycle.Status.VOTING)
    voted = PriorityCycleFactory(partnership=partnership, status=PriorityCycle.Status.VOTING)
    Ballot.objects.create(cycle=voted, participant=participant, channel=Ballot.Channel.ONLINE)
    client.force_login(resident)
    # when: session, user, roles, every count in one query, assigned areas, councillors,
    # the participant with their champion record, their latest reports
    with django_assert_num_queries(8):
        response = client.get(reverse("home"))
    # then: each cycle is counted for what the resident can do in it now
    counts = actions(response)
    assert counts["proposals_open"] == 1
    assert counts["votes_open"] == 1
    page = response.content.decode()
    assert "1 chance to propose a local priority" in page
    assert "1 local priority vote you can take part in" in page


def test_a_resident_is_not_told_they_are_going_to_an_event_the_council_cancelled(
    client, resident, ward
):
    # given: registered for one event the council then cancelled, one still on, and a
    # place given up at a third
    participant = ParticipantFactory(user=resident, email=resident.email, home_ward=ward)
    AttendanceFactory(participant=participant, event=EventFactory(area=ward, title="Going"))
    AttendanceFactory(
        participant=participant,
        event=EventFactory(area=ward, title="Called off", status=Event.Status.CANCELLED),
    )
    AttendanceFactory(
        participant=participant,
        event=EventFactory(area=ward, title="Not coming"),
        status=Attendance.Status.CANCELLED,
    )
    client.force_login(resident)
    # when
    home = client.get(reverse("home"))
    mine = client.get(reverse("engagement:my_page")).content.decode()
    # then
    assert actions(home)["my_events"] == 1
    assert "Called off</a>" in mine
    assert "Event cancelled" in mine
    assert "Place given up" in mine
    assert "Cancelled" not in mine


def test_councillor_home_counts_signoffs(client, elected_member, django_assert_num_queries):
    client.force_login(elected_member)
    # session, user, roles, the councillor's delegations, every count in one query,
    # assigned areas, people by role in the areas, officers covering them
    with django_assert_num_queries(8):
        response = client.get(reverse("home"))
    assert actions(response)["signoffs_waiting"] == 0


def test_partner_home_counts_partnerships(client, partner_user, aap, django_assert_num_queries):
    PartnershipFactory(area=aap, agencies=[partner_user.partner_agency])
    client.force_login(partner_user)
    # session, user, roles, every count in one query, assigned areas, the agency, its
    # colleagues, its API clients
    with django_assert_num_queries(8):
        response = client.get(reverse("home"))
    assert actions(response)["partnerships"] == 1


def test_administrator_home_counts_accounts_without_a_role(
    client, administrator, django_assert_num_queries
):
    from tests.accounts.factories import UserFactory

    UserFactory()
    client.force_login(administrator)
    # session, user, roles, every count in one query, assigned areas, people by role,
    # officers
    with django_assert_num_queries(7):
        response = client.get(reverse("home"))
    assert actions(response)["people_without_role"] == 1


def test_the_beta_banner_links_to_the_councils_feedback_page(client, settings):
    # given
    settings.COUNCIL_FEEDBACK_URL = "https://www.northfield.gov.uk/coproduce-feedback"
    # when
    content = client.get(reverse("home")).content.decode()
    # then
    assert (
        '<a class="govuk-link" href="https://www.northfield.gov.uk/coproduce-feedback">'
        "give your feedback</a>"
    ) in content


def test_without_a_feedback_page_the_beta_banner_asks_for_none(client, settings):
    # given
    settings.COUNCIL_FEEDBACK_URL = ""
    # when
    content = client.get(reverse("home")).content.decode()
    # then: no request for feedback that leads nowhere
    assert "This is a new service." in content
    assert "feedback" not in content
    assert "what you think" not in content
