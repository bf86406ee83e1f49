"""A report answered and fixed within the hour shows 0.0, not a dash: zero is a time."""

import pytest
from django.urls import reverse

from engagement.services import issue_report_transition
from tests.engagement.factories import IssueReportFactory, ParticipantFactory, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed_at_once(ward, officer):
    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    return issue_report_transition(report=report, to_state=state("fixed"), actor=officer)


def test_monthly_figures_show_a_zero_response_time(client, officer, fixed_at_once):
    # given
    client.force_login(officer)
    # when
    response = client.get(reverse("engagement:report_stats"))
    # then
    assert ">0.0</td>" in response.content.decode()


def test_public_report_shows_the_areas_zero_typical_times(client, fixed_at_once):
    # when
    page = client.get(reverse("engagement:report_detail", args=[fixed_at_once.pk])).content
    # then
    assert "the first response came after 0.0 hours and the fix after 0.0 days" in page.decode()
