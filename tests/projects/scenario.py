"""A project with everything a page can show: roster, funding, outcomes, evidence, a
commissioning assessment and a timeline, built through the services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from governance.models import Budget
from projects import services
from projects.models import FundingLine, RosterEntry
from tests.accounts.factories import PartnerUserFactory
from tests.governance.factories import PartnerAgencyFactory
from tests.projects import gate_helpers
from tests.projects.factories import BudgetFactory, ParticipantFactory


def rich_project(project, *, officer, member, ward, residents: int = 4):
    """Take `project` to deliver and fill in every part of its record."""
    gate_helpers.take_to(project, "deliver", officer=officer, member=member)
    for n in range(residents):
        services.roster_entry_add(
            project=project,
            added_by=officer,
            participant=ParticipantFactory(home_ward=ward, full_name=f"Resident Number{n}"),
            role=[RosterEntry.Role.VOLUNTEER, RosterEntry.Role.STREET_CHAMPION][n % 2],
            participation_level=["involved", "leading", "consulted", "informed"][n % 4],
            started_on=timezone.localdate() - datetime.timedelta(days=40 + n),
            hours=Decimal(3 + n),
        )
    services.roster_entry_add(
        project=project,
        added_by=officer,
        user=PartnerUserFactory(areas=[ward], full_name="Sergeant Priya Patel"),
        role=RosterEntry.Role.PARTNER_LEAD,
        started_on=timezone.localdate() - datetime.timedelta(days=50),
    )
    budget = BudgetFactory(name=f"{ward.parent.name} area budget", area=ward.parent)
    services.funding_line_create(
        project=project,
        created_by=officer,
        source=FundingLine.Source.AREA_BUDGET,
        amount=Decimal("4000"),
        budget=budget,
        description="Litter picking kit and skips",
        is_grant=True,
        recipient_name="Abbey Fields Residents' Association",
        recipient_charity_number="1170001",
    )
    services.funding_line_create(
        project=project,
        created_by=officer,
        source=FundingLine.Source.PARTNER,
        amount=Decimal("3000"),
        partner_agency=PartnerAgencyFactory(name="Northfield Neighbourhood Policing Team"),
        description="Patrols at the hotspots",
    )
    services.funding_line_create(
        project=project,
        created_by=officer,
        source=FundingLine.Source.EXTERNAL_MATCH,
        amount=Decimal("3880"),
        funder_name="National Lottery Community Fund",
        description="Youth diversion sessions",
    )
    services.funding_line_create(
        project=project,
        created_by=officer,
        source=FundingLine.Source.SMALL_GRANT,
        amount=Decimal("2500"),
        budget=BudgetFactory(
            name="Safer Neighbourhoods small grants",
            kind=Budget.Kind.SMALL_GRANTS,
            amount=Decimal("15000"),
            max_award=Decimal("2500"),
            area=ward.parent,
        ),
        is_grant=True,
        recipient_name="Youth of Town Centre",
    )
    services.funding_line_create(
        project=project,
        created_by=officer,
        source=FundingLine.Source.COUNCIL_SERVICE,
        amount=Decimal("9000"),
        description="Street scene team overtime",
    )
    satisfaction = services.indicator_create(
        project=project,
        created_by=officer,
        name="Residents satisfied with cleanliness",
        kind="outcome",
        unit="percent",
        measure="residents satisfied",
        direction="up",
        baseline_value=Decimal("61"),
        baseline_on=datetime.date(2024, 4, 1),
        target_value=Decimal("78"),
        source="Residents' survey",
    )
    for year, value in ((2025, 70), (2026, 78)):
        services.measurement_record(
            indicator=satisfaction,
            recorded_by=officer,
            measured_on=datetime.date(year, 1, 31),
            value=Decimal(value),
        )
    services.indicator_create(
        project=project,
        created_by=officer,
        name="Cost of street cleansing",
        kind="cost",
        unit="pounds",
        measure="pounds a year",
        direction="down",
        baseline_value=Decimal("2000000"),
        baseline_on=datetime.date(2024, 4, 1),
        target_value=Decimal("1700000"),
    )
    return project
