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


def test_public_report_says_none_is_fixed_yet_instead_of_a_dash(client, ward, officer):
    # given the area's only reports: one answered but not fixed, one not yet answered
    answered = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    issue_report_transition(report=answered, to_state=state("investigating"), actor=officer)
    waiting = IssueReportFactory(reporter=answered.reporter)
    # when
    page = client.get(reverse("engagement:report_detail", args=[waiting.pk])).content.decode()
    # then
    assert "the first response came after 0.0 hours, on average, and none has been fixed yet" in (
        page
    )
    assert "\u2013" not in page.split("over the last year")[1].split("</p>")[0]


def test_public_report_says_none_has_had_a_response_yet(client, ward):
    # given
    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    # when
    page = client.get(reverse("engagement:report_detail", args=[report.pk])).content.decode()
    # then
    assert "over the last year, none has had a response yet (1 report)." in page


def test_a_report_closed_without_a_fix_is_not_shown_as_waiting_for_one(
    client, ward, officer, fixed_at_once
):
    # given a report the council says is someone else's
    report = IssueReportFactory(reporter=ParticipantFactory(home_ward=ward))
    issue_report_transition(
        report=report,
        to_state=state("not_responsible"),
        actor=officer,
        note="Network Rail's land: report it to them.",
    )
    # when
    page = client.get(reverse("engagement:report_detail", args=[report.pk])).content.decode()
    # then it gives no date the council aims to deal with it by, nor a fix still to come
    assert "Not the council&#x27;s responsibility" in page
    assert "Aim to deal with it by" not in page
    assert "Fixed</dt>" not in page
    assert "First response</dt>" in page
    # while one still open, or fixed, does
    for shown in (IssueReportFactory(reporter=report.reporter), fixed_at_once):
        url = reverse("engagement:report_detail", args=[shown.pk])
        html = client.get(url).content.decode()
        assert "Aim to deal with it by" in html
        assert "Fixed</dt>" in html
