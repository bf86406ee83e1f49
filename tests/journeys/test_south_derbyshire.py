"""Journey 5, South Derbyshire Safer Neighbourhoods (issue 10).

A quarterly public meeting agrees 3 priorities; a residents' group applies for a £500
small grant (the scheme gives up to £2,500) and is approved with an elected member's
sign-off; the police post the quarter's anti-social behaviour figures through the partner
API (OAuth2 client credentials); the outcome chart shows the trend.
"""

import base64
import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coproduction.api.services import api_client_create
from governance.models import Budget, Partnership, Priority, PriorityCycle
from governance.services.priorities import ballot_cast
from projects.models import FundingLine, Measurement
from tests.accounts.factories import ElectedMemberFactory, OfficerFactory
from tests.browser import DESKTOP, PHONE
from tests.engagement.factories import ParticipantFactory
from tests.governance.factories import (
    BudgetFactory,
    PartnerAgencyFactory,
    PartnershipFactory,
    PriorityCycleFactory,
    PriorityFactory,
)
from tests.journeys.places import place_build
from tests.journeys.steps import choose, look
from tests.projects.factories import IndicatorFactory, MeasurementFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "south-derbyshire-police-secret-2026"
PRIORITIES = [
    ("Speeding through Woodville", 9),
    ("Anti-social behaviour at the recreation ground", 8),
    ("Off-road bikes on the Greenway", 6),
    ("Parking outside the primary school", 3),
]


@pytest.fixture
def south_derbyshire(db):
    place = place_build(
        council="South Derbyshire District Council",
        area="Swadlincote Safer Neighbourhood",
        area_label="Safer Neighbourhood area",
        wards={"Swadlincote": "DE11 0AA", "Woodville": "DE11 7BB"},
    )
    officer = OfficerFactory(full_name="Helen Crawley", areas=[place.area])
    police = PartnerAgencyFactory(name="Derbyshire Constabulary: Swadlincote SNT")
    partnership = PartnershipFactory(
        name="Swadlincote Safer Neighbourhood",
        kind=Partnership.Kind.SAFER_NEIGHBOURHOOD,
        area=place.area,
        agencies=[police],
    )
    cycle = PriorityCycleFactory(
        partnership=partnership,
        title="Priorities for January to March",
        created_by=officer,
        needs_ratification=False,
        status=PriorityCycle.Status.VOTING,
    )
    priorities = {title: PriorityFactory(cycle=cycle, title=title) for title, _ in PRIORITIES}
    # The paper ballots from the quarterly public meeting.
    for voter in range(9):
        ticks = [priorities[t].pk for t, votes in PRIORITIES if votes > voter][:3]
        ballot_cast(
            cycle=cycle,
            participant=ParticipantFactory(home_ward=place.ward),
            choices=dict.fromkeys(ticks, 1),
            channel="paper",
            cast_by=officer,
        )
    project = ProjectFactory(
        title="Safer Swadlincote",
        areas=[place.area],
        lead_officer=officer,
        partner_agencies=[police],
    )
    indicator = IndicatorFactory(
        project=project,
        name="Calls about anti-social behaviour",
        measure="calls to the police a quarter",
        reported_by=police,
        baseline_value=Decimal("1475"),
        baseline_on=datetime.date(2025, 3, 31),
        target_value=Decimal("950"),
        target_on=datetime.date(2027, 3, 31),
    )
    for measured_on, value in [
        (datetime.date(2025, 6, 30), "1310"),
        (datetime.date(2025, 9, 30), "1188"),
        (datetime.date(2025, 12, 31), "1042"),
    ]:
        MeasurementFactory(indicator=indicator, measured_on=measured_on, value=Decimal(value))
    BudgetFactory(
        name="Safer Neighbourhood small grants",
        kind=Budget.Kind.SMALL_GRANTS,
        amount=Decimal("20000.00"),
        max_award=Decimal("2500.00"),
        area=place.area,
        partnership=partnership,
    )
    grant_project = ProjectFactory(
        title="Woodville recreation ground: youth shelter and lighting",
        areas=[place.wards[1]],
        lead_officer=officer,
    )
    councillor = ElectedMemberFactory(full_name="Cllr Trevor Southerd", areas=[place.area])
    client, _secret = api_client_create(
        agency=police,
        scopes=["outcomes:write", "projects:read"],
        created_by=officer,
        client_id="south-derbyshire-police",
        client_secret=SECRET,
    )
    return {
        "officer": officer,
        "cycle": cycle,
        "project": project,
        "indicator": indicator,
        "client": client,
        "grant_project": grant_project,
        "councillor": councillor,
        "partnership": partnership,
    }


def test_south_derbyshire_safer_neighbourhoods(new_page, south_derbyshire):
    officer, cycle = south_derbyshire["officer"], south_derbyshire["cycle"]
    project, indicator = south_derbyshire["project"], south_derbyshire["indicator"]
    client = south_derbyshire["client"]
    desk = new_page(user=officer, viewport=DESKTOP)

    # 1. The quarterly public meeting agrees 3 priorities.
    desk.goto(reverse("governance:cycle_detail", args=[cycle.pk]))
    look(desk, "south-derbyshire-cycle-voting")
    desk.get_by_role("button", name="Close voting and record the forum's result").click()
    desk.get_by_role("button", name="Adopt the forum's top 3").click()
    look(desk, "south-derbyshire-cycle-decided")
    adopted = Priority.objects.filter(cycle=cycle, status=Priority.Status.ADOPTED)
    assert set(adopted.values_list("title", flat=True)) == {t for t, _ in PRIORITIES[:3]}

    # 2. The residents' association applies for a small grant: £3,000 is over the fund's
    # £2,500 limit; £500 is asked for and a councillor signs it off.
    desk.goto(reverse("governance:partnership_detail", args=[south_derbyshire["partnership"].pk]))
    desk.get_by_role("link", name="Propose an award").click()
    choose(desk.get_by_label("Budget"), "small grants")
    choose(desk.get_by_label("Project"), "Woodville recreation ground")
    desk.get_by_label("Amount (£)").fill("3000")
    desk.get_by_label("What it pays for").fill("A youth shelter and solar lighting")
    desk.get_by_label("Organisation the grant is made to (optional)").fill(
        "Woodville Residents' Association"
    )
    desk.get_by_role("button", name="Ask for sign-off").click()
    expect(desk).to_have_title(re.compile("^Error: "))
    expect(desk.locator(".govuk-error-summary")).to_contain_text("2,500")
    look(desk, "south-derbyshire-grant-over-limit")
    assert not FundingLine.objects.exists()
    desk.get_by_label("Amount (£)").fill("500")
    look(desk, "south-derbyshire-grant", guide="officer-small-grant")
    desk.get_by_role("button", name="Ask for sign-off").click()
    grant = FundingLine.objects.get(project=south_derbyshire["grant_project"])
    assert grant.status == FundingLine.Status.AWAITING_SIGNOFF
    cllr = new_page(user=south_derbyshire["councillor"], viewport=DESKTOP)
    cllr.goto("/")
    cllr.get_by_role("link", name="1 sign-off waiting for your decision").click()
    cllr.get_by_role("link", name="Funding decision").click()
    cllr.get_by_label("Approve").check()
    look(cllr, "south-derbyshire-councillor-grant")
    cllr.get_by_role("button", name="Record my decision").click()
    cllr.wait_for_url("**/councillor/")
    grant.refresh_from_db()
    assert grant.status == FundingLine.Status.COMMITTED

    # 3. The police post the quarter's ASB figures through the API, as their system would.
    api = new_page(viewport=PHONE).request
    basic = base64.b64encode(f"{client.client_id}:{SECRET}".encode()).decode()
    token = api.post(
        "/api/v1/oauth/token/",
        headers={"Authorization": f"Basic {basic}"},
        form={"grant_type": "client_credentials", "scope": "outcomes:write"},
    )
    assert token.status == 200, token.text()
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    posted = api.post(
        f"/api/v1/indicators/{indicator.pk}/measurements/",
        headers={**bearer, "Idempotency-Key": "snt-2026-q1"},
        data={"measured_on": "2026-03-31", "value": "941", "note": ""},
    )
    assert posted.status == 201, posted.text()
    # A figure for a date already reported is refused, and nothing is written.
    again = api.post(
        f"/api/v1/indicators/{indicator.pk}/measurements/",
        headers=bearer,
        data={"measured_on": "2026-03-31", "value": "999", "note": ""},
    )
    assert again.status == 409
    assert Measurement.objects.filter(indicator=indicator).count() == 4

    # 4. The outcome chart shows the trend, with its table.
    desk.goto(reverse("projects:detail", args=[project.pk]))
    desk.get_by_role("tab", name="Outcomes").click()
    panel = desk.locator(".app-indicator", has_text="Calls about anti-social behaviour")
    expect(panel).to_contain_text("Derbyshire Constabulary: Swadlincote SNT")
    expect(panel.locator("svg")).to_have_count(1)
    expect(panel.locator("table")).to_contain_text("941")
    expect(panel).to_contain_text("Met")
    panel.scroll_into_view_if_needed()
    look(desk, "south-derbyshire-outcome-chart", guide="officer-outcome-chart")
