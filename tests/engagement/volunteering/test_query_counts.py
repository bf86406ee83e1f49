"""Every volunteering list page and dashboard runs the same number of queries whatever
the number of rows (the queries are listed above each count)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.engagement.factories import (
    ActivityReportFactory,
    IncidentFactory,
    ParticipantFactory,
    RiskAssessmentFactory,
    RosterEntryFactory,
    ToolkitFactory,
    ToolkitLoanFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    VolunteerActivityFactory,
    VolunteerFactory,
    VolunteerTaskFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_commit_now")]

# Every signed-in page starts with these.
SESSION_USER_ROLES = 3


def build(ward, rows: int):
    """`rows` of everything the pages list, each due, lapsing, overdue or open."""
    today = timezone.localdate()
    course = TrainingCourseFactory(name="Manual handling", valid_for_months=12)
    task = VolunteerTaskFactory(required_training=[course])
    lead = ParticipantFactory(home_ward=ward)
    for n in range(rows):
        RiskAssessmentFactory(task=task, area=ward, review_on=today + timedelta(days=5))
        RiskAssessmentFactory(task=task, area=ward, status="submitted")
        activity = VolunteerActivityFactory(task=VolunteerTaskFactory(), area=ward)
        RosterEntryFactory(activity=activity, participant__home_ward=ward)
        RosterEntryFactory(activity=activity, participant=lead, role="lead")
        IncidentFactory(activity=activity)
        person = VolunteerFactory(participant__home_ward=ward).participant
        TrainingRecordFactory(
            participant=person, course=course, completed_on=today - timedelta(days=355)
        )
        ToolkitLoanFactory(
            toolkit=ToolkitFactory(home_area=ward),
            holder=lead if n == 0 else ParticipantFactory(home_ward=ward),
            lent_on=today - timedelta(days=40),
            due_on=today - timedelta(days=2),
        )
        ActivityReportFactory(reporter=lead, task=task)
    return lead


PAGES = [
    # dashboard: assessments awaiting a decision, due for review, training lapsing, kits
    # overdue, open incidents, activities no assessment covers (one query each)
    ("volunteering_dashboard", SESSION_USER_ROLES + 6),
    # tasks, their training (prefetch)
    ("task_list", SESSION_USER_ROLES + 2),
    # count, the task filter's choices, the page of assessments with residual scores
    ("assessment_list", SESSION_USER_ROLES + 3),
    # count, the page of people with their records and current training
    ("volunteer_list", SESSION_USER_ROLES + 2),
    # count, the page of activities with roster counts, hours and cover
    ("activity_list", SESSION_USER_ROLES + 2),
    # count, the page of kits with item counts, the open loans (prefetch)
    ("toolkit_list", SESSION_USER_ROLES + 3),
    # totals by ward (chart), count, recurring problems, task filter, the page of reports
    ("activity_report_list", SESSION_USER_ROLES + 5),
    # count, counts by task and site, the page of incidents
    ("incident_list", SESSION_USER_ROLES + 3),
]


@pytest.mark.parametrize("rows", [1, 4])
@pytest.mark.parametrize(("name", "queries"), PAGES, ids=[name for name, _ in PAGES])
def test_list_pages_run_a_constant_number_of_queries(
    client, officer, ward, django_assert_num_queries, rows, name, queries
):
    # given
    build(ward, rows)
    client.force_login(officer)
    url = reverse(f"engagement:{name}")
    # when / then
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 4])
def test_a_group_leads_page_runs_a_constant_number_of_queries(
    client, resident, ward, django_assert_num_queries, rows
):
    # given
    lead = build(ward, rows)
    lead.user = resident
    lead.save(update_fields=["user"])
    client.force_login(resident)
    # session, user, roles, participant, volunteer record, loans, kits' items (prefetch),
    # roster, reports, assessments drafted, training, signatures, disclaimer in force
    with django_assert_num_queries(SESSION_USER_ROLES + 10):
        response = client.get(reverse("engagement:my_volunteering"))
    assert response.status_code == 200
    assert response.context["mine"].is_group_lead
