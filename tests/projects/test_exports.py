"""The 360Giving grants file (JSON and CSV) and the funding CSV."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from projects.models import Project
from projects.threesixtygiving import CSV_HEADER, recipient_identifier
from tests.projects.factories import BudgetFactory, FundingLineFactory

pytestmark = pytest.mark.django_db

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REQUIRED = {
    "id",
    "title",
    "description",
    "currency",
    "amountAwarded",
    "awardDate",
    "recipientOrganization",
    "fundingOrganization",
}


@pytest.fixture
def grants(project, ward, settings):
    settings.THREESIXTYGIVING_PREFIX = "360G-northfield"
    settings.THREESIXTYGIVING_FUNDER_ID = "GB-LAE-NFD"
    ward.gss_code = "E05099001"
    ward.save()
    Project.objects.filter(pk=project.pk).update(
        is_published=True, public_summary="Residents keep Abbey Fields tidy."
    )
    budget = BudgetFactory(name="Safer Neighbourhoods grants", kind="small_grants", area=ward)
    return [
        FundingLineFactory(
            project=project,
            source="small_grant",
            budget=budget,
            amount=Decimal("500"),
            spent=Decimal("250"),
            is_grant=True,
            recipient_name="Youth of Hatton",
            recipient_charity_number="1123456",
            description="Start-up costs for a youth club",
        ),
        FundingLineFactory(
            project=project,
            source="area_budget",
            amount=Decimal("2500"),
            is_grant=True,
            recipient_name="Gully House Residents' Association",
        ),
        # Not grants: a partner's money, a line awaiting sign-off.
        FundingLineFactory(project=project, source="partner", funder_name="Police"),
        FundingLineFactory(
            project=project,
            source="area_budget",
            amount=Decimal("9000"),
            status="awaiting_signoff",
            committed_on=None,
        ),
    ]


def test_grants_json_has_the_standards_required_fields(client, officer, grants, project):
    # given
    client.force_login(officer)
    # when
    response = client.get(reverse("projects:grants_json"))
    # then
    package = json.loads(response.content)
    assert package["license"].startswith("https://www.nationalarchives.gov.uk/doc/open-gov")
    assert package["publisher"] == {
        "name": "Northfield Borough Council",
        "identifier": "GB-LAE-NFD",
    }
    assert len(package["grants"]) == 2
    for grant in package["grants"]:
        assert set(grant) >= REQUIRED
        assert grant["id"].startswith(f"360G-northfield-{project.reference}-")
        assert grant["currency"] == "GBP"
        assert isinstance(grant["amountAwarded"], float)
        assert DATE.match(grant["awardDate"])
        assert grant["fundingOrganization"] == [
            {"id": "GB-LAE-NFD", "name": "Northfield Borough Council"}
        ]
        assert grant["beneficiaryLocation"][0]["geoCode"] == "E05099001"
        assert grant["beneficiaryLocation"][0]["geoCodeType"] == "WD"
        assert grant["dataSource"].endswith(f"/projects/public/{project.pk}/")
    youth = next(g for g in package["grants"] if g["amountAwarded"] == 500.0)
    assert youth["recipientOrganization"] == [
        {"id": "GB-CHC-1123456", "name": "Youth of Hatton", "charityNumber": "1123456"}
    ]
    assert youth["amountDisbursed"] == 250.0
    assert youth["description"] == "Start-up costs for a youth club"
    assert youth["grantProgramme"][0]["title"].startswith("Safer Neighbourhoods grants")


def test_grants_csv_uses_the_standards_column_titles(client, officer, grants):
    client.force_login(officer)
    response = client.get(reverse("projects:grants_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == CSV_HEADER
    assert len(rows) == 3
    by_title = {row[CSV_HEADER.index("Recipient Org:Name")]: row for row in rows[1:]}
    gully = by_title["Gully House Residents' Association"]
    assert gully[CSV_HEADER.index("Amount Awarded")] == "2500.00"
    assert gully[CSV_HEADER.index("Recipient Org:Identifier")] == (
        f"360G-northfield-ORG-{grants[1].pk}"
    )


def test_recipient_identifiers_come_from_official_registers(grants):
    line = grants[0]
    line.recipient_charity_number = "SC012345"
    assert recipient_identifier(line) == "GB-SC-SC012345"
    line.recipient_charity_number = ""
    line.recipient_company_number = "01234567"
    assert recipient_identifier(line) == "GB-COH-01234567"
    line.recipient_org_id = "GB-MPR-12345R"
    assert recipient_identifier(line) == "GB-MPR-12345R"


def test_grants_are_only_those_the_person_may_see(client, grants, other_project, officer):
    FundingLineFactory(
        project=other_project, source="small_grant", is_grant=True, recipient_name="Elsewhere"
    )
    client.force_login(officer)
    package = json.loads(client.get(reverse("projects:grants_json")).content)
    assert "Elsewhere" not in json.dumps(package)


def test_funding_csv_lists_every_line(client, officer, grants):
    client.force_login(officer)
    response = client.get(reverse("projects:funding_csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Project reference", "Project", "Source"]
    assert len(rows) == 5
    assert {row[8] for row in rows[1:]} == {"Committed", "Waiting for sign-off"}


def test_csv_cells_cannot_smuggle_spreadsheet_formulas(client, officer, project):
    Project.objects.filter(pk=project.pk).update(title='=HYPERLINK("http://evil")')
    client.force_login(officer)
    content = b"".join(client.get(reverse("projects:export_csv")).streaming_content).decode()
    assert "'=HYPERLINK" in content
