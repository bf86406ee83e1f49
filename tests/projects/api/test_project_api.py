"""GET /api/v1/projects/: projects in the agency's partnerships' areas, with roster counts
(never names), funding by source and indicators; contact details only to a partner lead."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from projects.models import FundingLine, RosterEntry
from tests.accounts.factories import PartnerUserFactory
from tests.projects.factories import (
    FundingLineFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProjectFactory,
    RosterEntryFactory,
)

pytestmark = pytest.mark.django_db


def test_agency_sees_projects_in_its_partnerships_areas_only(
    police_api, fire_api, project, other_project
):
    # when
    police = [row["id"] for row in police_api.get("/api/v1/projects/").json()["results"]]
    fire = [row["id"] for row in fire_api.get("/api/v1/projects/").json()["results"]]
    # then
    assert police == [project.pk]
    assert fire == [other_project.pk]
    assert police_api.get(f"/api/v1/projects/{other_project.pk}/").status_code == 404
    assert fire_api.get(f"/api/v1/projects/{project.pk}/").status_code == 404


def test_agency_sees_a_project_it_is_a_partner_on_elsewhere(police, police_api, other_ward):
    # given
    elsewhere = ProjectFactory(areas=[other_ward], partner_agencies=[police])
    # when
    response = police_api.get(f"/api/v1/projects/{elsewhere.pk}/")
    # then
    assert response.status_code == 200


def test_roster_is_counted_by_role_without_names(police_api, project, participant):
    # given
    RosterEntryFactory(project=project, participant=participant)
    RosterEntryFactory(project=project, role=RosterEntry.Role.VOLUNTEER)
    RosterEntryFactory(project=project, role=RosterEntry.Role.VOLUNTEER)
    # when
    response = police_api.get(f"/api/v1/projects/{project.pk}/")
    # then
    body = response.json()
    assert body["roster_counts"] == [
        {"role": "co_designer", "people": 1},
        {"role": "volunteer", "people": 2},
    ]
    assert participant.full_name not in response.content.decode()
    assert participant.email not in response.content.decode()


def test_funding_is_totalled_by_source_counting_committed_money_only(police_api, project):
    # given
    FundingLineFactory(project=project, amount=Decimal("2500.00"))
    FundingLineFactory(project=project, amount=Decimal("1000.00"), spent=Decimal("400.00"))
    FundingLineFactory(
        project=project,
        source=FundingLine.Source.PARTNER,
        amount=Decimal("800.00"),
        status=FundingLine.Status.WITHDRAWN,
        committed_on=None,
    )
    # when
    body = police_api.get(f"/api/v1/projects/{project.pk}/").json()
    # then
    assert body["funding_totals"] == [
        {"source": "area_budget", "committed": "3500.00", "spent": "400.00"}
    ]


def test_indicators_come_with_their_readings(police_api, project, indicator):
    # given
    MeasurementFactory(indicator=indicator, value=Decimal("3666"))
    # when
    body = police_api.get(f"/api/v1/projects/{project.pk}/").json()
    # then
    assert body["indicators"][0]["name"] == indicator.name
    assert body["indicators"][0]["measurements"][0]["value"] == "3666.00"


def test_lead_officer_contact_goes_only_to_an_agency_with_a_named_partner_lead(
    police, police_api, project, officer
):
    # given: at first the police have no partner lead on the project
    first = police_api.get(f"/api/v1/projects/{project.pk}/").json()
    inspector = PartnerUserFactory(partner_agency=police)
    RosterEntryFactory(
        project=project, participant=None, user=inspector, role=RosterEntry.Role.PARTNER_LEAD
    )
    # when
    then = police_api.get(f"/api/v1/projects/{project.pk}/").json()
    # then
    assert "lead_officer" not in first
    assert officer.email not in str(first)
    assert then["lead_officer"] == {"name": officer.full_name, "email": officer.email}


def test_a_partner_lead_whose_time_on_the_roster_has_ended_no_longer_opens_them(
    police, police_api, project, officer
):
    # given: the police's partner lead left the project last month
    RosterEntryFactory(
        project=project,
        participant=None,
        user=PartnerUserFactory(partner_agency=police),
        role=RosterEntry.Role.PARTNER_LEAD,
        started_on=date(2025, 1, 6),
        ended_on=timezone.localdate() - timedelta(days=30),
    )
    # when
    body = police_api.get(f"/api/v1/projects/{project.pk}/").json()
    listed = police_api.get("/api/v1/projects/").json()["results"]
    # then: no contact details, and the roster counts only who is on it today
    assert "lead_officer" not in body
    assert officer.email not in str(body) + str(listed)
    assert "partner_lead" not in {row["role"] for row in body["roster_counts"]}


def test_another_agencys_partner_lead_does_not_open_the_contact_details(
    police_api, project, partner_user
):
    # given: the partner user's agency (not the police) is the named lead
    RosterEntryFactory(
        project=project, participant=None, user=partner_user, role=RosterEntry.Role.PARTNER_LEAD
    )
    # when
    body = police_api.get(f"/api/v1/projects/{project.pk}/").json()
    # then
    assert "lead_officer" not in body


@pytest.mark.parametrize(
    ("role", "sees_contact"),
    [
        ("officer", True),
        ("administrator", True),
        ("elected_member", False),
        ("board_member", False),
        ("partner_user", False),
    ],
)
def test_contact_details_by_role_of_a_session_caller(request, project, role, sees_contact):
    # given
    api = APIClient()
    api.force_login(request.getfixturevalue(role))
    # when
    body = api.get(f"/api/v1/projects/{project.pk}/").json()
    # then
    assert ("lead_officer" in body) is sees_contact


def test_resident_may_not_use_the_projects_api(resident, project):
    # given
    api = APIClient()
    api.force_login(resident)
    # when / then
    assert api.get("/api/v1/projects/").status_code == 403


def test_filters_and_ordering(police_api, project, ward):
    # given
    ProjectFactory(reference="CP-A0001", areas=[ward], stage="deliver")
    # when
    delivering = police_api.get("/api/v1/projects/?stage=deliver").json()["results"]
    ordered = police_api.get("/api/v1/projects/?ordering=-reference").json()["results"]
    # then
    assert [row["reference"] for row in delivering] == ["CP-A0001"]
    assert [row["reference"] for row in ordered] == sorted(
        [project.reference, "CP-A0001"], reverse=True
    )
    assert police_api.get("/api/v1/projects/?ordering=lead_officer").status_code == 400
    assert police_api.get("/api/v1/projects/?stage=").status_code == 400


@pytest.mark.parametrize("page_size", [1, 20])
def test_project_list_query_count_is_constant(
    police, police_api, ward, django_assert_num_queries, page_size
):
    # given: twelve projects, each with roster, funding, an indicator and readings
    for _ in range(12):
        project = ProjectFactory(areas=[ward], partner_agencies=[police])
        RosterEntryFactory(project=project)
        FundingLineFactory(project=project)
        MeasurementFactory(indicator=IndicatorFactory(project=project, reported_by=police))
        RosterEntryFactory(
            project=project,
            participant=None,
            user=PartnerUserFactory(partner_agency=police),
            role=RosterEntry.Role.PARTNER_LEAD,
        )
    # when / then
    # token with its application, client and agency; page and total of projects with service
    # area and lead officer; areas; partner agencies; indicators with reporting agency;
    # their readings; roster counts by role; funding by source; audit insert
    with django_assert_num_queries(9):
        response = police_api.get(f"/api/v1/projects/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)


def test_project_list_never_reads_the_lead_officers_password_hash(
    police, police_api, project, officer
):
    # given: the police are a named partner lead, so the list shows the lead officer
    RosterEntryFactory(
        project=project,
        participant=None,
        user=PartnerUserFactory(partner_agency=police),
        role=RosterEntry.Role.PARTNER_LEAD,
    )
    # when
    with CaptureQueriesContext(connection) as queries:
        body = police_api.get("/api/v1/projects/").json()
    # then: the officer's name and email, read without the rest of their account
    row = next(row for row in body["results"] if row["id"] == project.pk)
    assert row["lead_officer"] == {"name": officer.full_name, "email": officer.email}
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"accounts_user"."email"' in sql
    assert '"accounts_user"."password"' not in sql
