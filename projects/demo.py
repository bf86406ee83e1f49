"""This app's part of the demo council (see coproduction.demo): idempotent.

Projects in every stage, modelled on the five programmes of the APSE/TUC report:
Durham's Area Action Partnerships (area and neighbourhood budgets, match funding and
leverage), South Derbyshire's Safer Neighbourhoods small grants and anti-social
behaviour figures, Darlington's street champions and satisfaction, Halton's community
cafés and Milton Keynes's environmental toolkits. Each is built through the services, as
an officer would, then its timeline is dated back to when it would have happened.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from communities.models import CommunityOfInterest
from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from coproduction.demo import EMAIL_DOMAIN, DemoContext
from engagement.models import Participant
from engagement.services import participant_for_account
from governance.demo import budgets_ensure, financial_year, small_grants_fund_ensure
from governance.models import Budget, SignOffRequest
from governance.signoffs import signoff_decide, signoff_deciders
from tests.governance.factories import PartnerAgencyFactory

from . import services
from .gates import SIGNOFF_STAGES
from .models import (
    FundingLine,
    Project,
    ProjectDocument,
    RosterEntry,
    ServiceArea,
    StageTransition,
    stage_after,
)

OFFICER = f"officer@{EMAIL_DOMAIN}"
RIVERMOUTH_OFFICER = f"officer.rivermouth@{EMAIL_DOMAIN}"
PARTNER = "partner@police.example.org"
POLICE = "Northfield Neighbourhood Policing Team"


def _cllr(ward: str, n: int = 1) -> str:
    return f"cllr.{ward.lower().replace(' ', '-')}.{n}@{EMAIL_DOMAIN}"


def _resident(ward: str, n: int) -> str:
    return f"resident.{ward.lower().replace(' ', '-')}.{n}@example.org"


@dataclass
class Indicator:
    name: str
    kind: str
    unit: str
    measure: str
    direction: str
    baseline: tuple[datetime.date, str]
    target: str | None = None
    readings: list[tuple[datetime.date, str]] = field(default_factory=list)
    source: str = ""


@dataclass
class Plan:
    reference: str
    title: str
    summary: str
    areas: list[str]
    service: str
    forms: list[str]
    stage: str
    officer: str
    councillor: str
    started: datetime.date
    # Days spent in each stage before moving on.
    pace: int = 75
    mode: str = Project.Mode.COLLECTIVE
    scale: str = Project.Scale.PILOT
    ladder_target: int = 6
    ladder_actual: int | None = None
    communities: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    residents: list[tuple[str, str, str, str]] = field(default_factory=list)
    partner_lead: bool = False
    decisions: dict[str, tuple[str, str]] = field(default_factory=dict)
    funding: list[dict] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    assessment: dict | None = None
    stop_reason: str = ""
    public_summary: str = ""


def _budgets(context: DemoContext) -> dict[str, Budget]:
    """The governance demo's devolved budgets (made here first if need be), by the keys
    the plans use; the youth club's 2023 grant came from that year's small grants fund."""
    found = budgets_ensure(context, year=financial_year())
    return {
        "nc_area": found["area:Northfield Central"],
        "ne_area": found["area:Northfield East"],
        "rv_area": found["area:Rivermouth and Villages"],
        "af_neighbourhood": found[f"neighbourhood:{_cllr('Abbey Fields')}"],
        "rv_grants": found["small_grants"],
        "rv_grants_2023": small_grants_fund_ensure(context, year=2023),
    }


def _participants(context: DemoContext) -> dict[str, Participant]:
    """A participant profile for every demo resident: engagement's, made by its service
    from the account if need be."""
    participants = {}
    for email, user in context.people.items():
        if user.has_role(Role.RESIDENT):
            participants[email] = participant_for_account(
                user=user, defaults={"participation_level": "involved"}
            )
    return participants


def _plans(context: DemoContext) -> list[Plan]:
    d = datetime.date
    return [
        Plan(
            reference="DEMO-AAP-01",
            title="Abbey Fields community hall: transfer to residents",
            summary=(
                "The old Abbey Fields hall was due to close. Residents formed an association, "
                "trained in running a building and took it over, with the Area Action "
                "Partnership's support: a lunch club, youth group and credit union point."
            ),
            areas=["Abbey Fields"],
            service="Community centres",
            forms=["co_design", "co_delivery", "co_financing"],
            stage="deliver",
            officer=OFFICER,
            councillor=_cllr("Abbey Fields"),
            started=d(2025, 9, 1),
            ladder_target=7,
            ladder_actual=7,
            communities=["Older people"],
            partners=["Northfield Council for Voluntary Service"],
            residents=[
                (_resident("Abbey Fields", 1), "co_designer", "leading", "46"),
                (_resident("Abbey Fields", 2), "volunteer", "involved", "30"),
                (_resident("Abbey Fields", 3), "volunteer", "involved", "18"),
                (_resident("Abbey Fields", 4), "co_designer", "consulted", "4"),
            ],
            decisions={
                "design": (
                    "Residents' meeting on the hall",
                    "Keep the hall open, run by a "
                    "residents' association; lunch club and youth group first.",
                ),
                "commission": (
                    "Association takes on the lease",
                    "The association's members "
                    "voted to take on the hall with the council's support.",
                ),
            },
            funding=[
                {
                    "source": "area_budget",
                    "budget": "nc_area",
                    "amount": "15000",
                    "description": "Repairs to the roof and kitchen",
                    "is_grant": True,
                    "recipient_name": "Abbey Fields Residents' Association",
                },
                {
                    "source": "neighbourhood_budget",
                    "budget": "af_neighbourhood",
                    "amount": "5000",
                    "description": "Furniture and a hearing loop",
                    "is_grant": True,
                    "recipient_name": "Abbey Fields Residents' Association",
                },
                # £34,400 levered for £20,000 of devolved money: Durham's £1.72 per £1.
                {
                    "source": "external_match",
                    "funder_name": "National Lottery Community Fund",
                    "amount": "24400",
                    "description": "Two years' running costs",
                },
                {
                    "source": "partner",
                    "partner": "Northfield Council for Voluntary Service",
                    "amount": "10000",
                    "description": "Volunteer training and governance support",
                },
            ],
            indicators=[
                Indicator(
                    "Hours the hall is open each week",
                    "outcome",
                    "number",
                    "hours a week",
                    "up",
                    (d(2025, 9, 1), "6"),
                    "40",
                    [(d(2026, 3, 1), "22"), (d(2026, 9, 1), "34")],
                    "Booking diary",
                ),
            ],
            assessment={
                "provider_name": "Abbey Fields Residents' Association",
                "service_part": "Running the hall and its activities",
                "capacity": "ready",
                "skills": "with_support",
                "governance": "ready",
                "insurance": "ready",
                "risks": "with_support",
                "can_deliver": "whole",
                "decision": "community_delivers",
                "decision_reason": "Trained committee, constitution and insurance in "
                "place; the council keeps the building's structural repairs.",
            },
            public_summary=(
                "Residents of Abbey Fields kept their community hall open by taking it over. "
                "It now hosts a lunch club, a youth group and a credit union collection point."
            ),
        ),
        Plan(
            reference="DEMO-AAP-02",
            title="Young people's music festival",
            summary=(
                "Young people asked for a music festival. The Area Action Partnership worked "
                "with them to stage it: sixteen local bands and an audience of a thousand."
            ),
            areas=["Northfield Central"],
            service="Youth services",
            partners=[POLICE],
            forms=["co_design", "co_delivery", "co_assessment"],
            stage="evaluate",
            officer=OFFICER,
            councillor=_cllr("Town Centre"),
            started=d(2025, 4, 1),
            pace=70,
            ladder_target=7,
            ladder_actual=6,
            communities=["Young people"],
            residents=[
                (_resident("Town Centre", 1), "co_designer", "leading", "60"),
                (_resident("Station Road", 1), "co_designer", "involved", "35"),
                (_resident("Station Road", 2), "volunteer", "involved", "12"),
            ],
            funding=[
                {
                    "source": "area_budget",
                    "budget": "nc_area",
                    "amount": "12000",
                    "description": "Stage, sound and safety stewards",
                },
                {
                    "source": "external_match",
                    "funder_name": "Arts Council England",
                    "amount": "9000",
                    "description": "Band development workshops",
                },
                {
                    "source": "partner",
                    "partner": "Northfield Neighbourhood Policing Team",
                    "amount": "4000",
                    "description": "Event policing",
                },
            ],
            indicators=[
                Indicator(
                    "Young people at the festival",
                    "outcome",
                    "number",
                    "people",
                    "up",
                    (d(2025, 4, 1), "0"),
                    "800",
                    [(d(2026, 7, 20), "1000")],
                    "Ticket scans",
                ),
                Indicator(
                    "Calls about young people gathering in the town centre",
                    "demand",
                    "number",
                    "calls a month",
                    "down",
                    (d(2025, 4, 1), "38"),
                    "25",
                    [(d(2026, 8, 31), "27")],
                    "Police incident log",
                ),
            ],
            assessment={
                "provider_name": "Northfield Young Musicians' Co-operative",
                "service_part": "Programming and running the festival",
                "capacity": "with_support",
                "skills": "with_support",
                "governance": "with_support",
                "insurance": "not_ready",
                "risks": "with_support",
                "can_deliver": "part",
                "decision": "co_deliver",
                "decision_reason": "Young people programme it; the council holds the "
                "event licence and insurance.",
            },
            public_summary="A music festival designed and run with the town's young people.",
        ),
        Plan(
            reference="DEMO-AAP-03",
            title="Fit for Work traineeships",
            summary=(
                "Local engineering firms, the college and young people design traineeships "
                "with work-based mentors, to remove barriers to a first job."
            ),
            areas=["Northfield East"],
            service="Children and young people",
            forms=["co_design", "co_commissioning"],
            stage="commission",
            officer=OFFICER,
            councillor=_cllr("Eastgate"),
            started=d(2026, 5, 1),
            pace=90,
            ladder_target=6,
            ladder_actual=5,
            communities=["Young people"],
            residents=[
                (_resident("Eastgate", 1), "co_designer", "involved", "9"),
                (_resident("Millbrook", 1), "co_designer", "leading", "14"),
            ],
            funding=[
                {
                    "source": "area_budget",
                    "budget": "ne_area",
                    "amount": "20000",
                    "description": "Twelve trainee places",
                    "approve": False,
                },
            ],
        ),
        Plan(
            reference="DEMO-SN-01",
            title="Rivermouth youth club",
            summary=(
                "A resident worried about anti-social behaviour asked the Safer Neighbourhoods "
                "partnership for help to start a youth club. A £500 small grant set it up; it "
                "now has ninety members and meets twice a week."
            ),
            areas=["Rivermouth"],
            service="Community safety",
            forms=["co_design", "co_delivery", "co_financing"],
            stage="closed",
            officer=RIVERMOUTH_OFFICER,
            councillor=_cllr("Rivermouth"),
            started=d(2023, 4, 1),
            pace=150,
            ladder_target=8,
            ladder_actual=8,
            communities=["Young people"],
            residents=[
                (_resident("Rivermouth", 1), "co_designer", "leading", "120"),
                (_resident("Rivermouth", 2), "volunteer", "involved", "64"),
            ],
            funding=[
                {
                    "source": "small_grant",
                    "budget": "rv_grants_2023",
                    "amount": "500",
                    "description": "Start-up costs",
                    "is_grant": True,
                    "recipient_name": "Youth of Rivermouth",
                    "spent": "500",
                },
            ],
            indicators=[
                Indicator(
                    "Calls to the police about anti-social behaviour",
                    "demand",
                    "number",
                    "calls a year",
                    "down",
                    (d(2007, 3, 31), "5899"),
                    "4000",
                    [
                        (d(2008, 3, 31), "5402"),
                        (d(2009, 3, 31), "4950"),
                        (d(2010, 3, 31), "4310"),
                        (d(2011, 3, 31), "3980"),
                        (d(2012, 3, 31), "3666"),
                    ],
                    "Safer Derbyshire Research and Information Team",
                ),
                Indicator(
                    "Incidents of criminal damage",
                    "outcome",
                    "number",
                    "incidents a year",
                    "down",
                    (d(2007, 3, 31), "1376"),
                    "1000",
                    [(d(2010, 3, 31), "1102"), (d(2012, 3, 31), "807")],
                    "Safer Derbyshire Research and Information Team",
                ),
            ],
            assessment={
                "provider_name": "Youth of Rivermouth",
                "service_part": "Youth club",
                "capacity": "ready",
                "skills": "with_support",
                "governance": "ready",
                "insurance": "ready",
                "risks": "ready",
                "can_deliver": "whole",
                "decision": "community_delivers",
                "decision_reason": "A constituted group with trained volunteers.",
            },
            public_summary=(
                "A youth club started by a resident with a Safer Neighbourhoods grant. Calls "
                "to the police about anti-social behaviour fell from 5,899 to 3,666 a year."
            ),
        ),
        Plan(
            reference="DEMO-SN-02",
            title="Low Moor anti-speeding signs",
            summary=(
                "Residents chose speeding as one of the quarter's three priorities at the "
                "Safer Neighbourhood meeting and bid for signs with a small grant."
            ),
            areas=["Low Moor"],
            service="Community safety",
            forms=["co_design", "co_financing"],
            stage="deliver",
            officer=RIVERMOUTH_OFFICER,
            councillor=_cllr("Low Moor"),
            started=d(2026, 3, 1),
            pace=60,
            ladder_target=7,
            ladder_actual=6,
            residents=[(_resident("Low Moor", 1), "co_designer", "leading", "10")],
            partners=["Northfield Neighbourhood Policing Team"],
            partner_lead=True,
            funding=[
                {
                    "source": "small_grant",
                    "budget": "rv_grants",
                    "amount": "2500",
                    "description": "Two vehicle-activated signs",
                    "is_grant": True,
                    "recipient_name": "Low Moor Parish Council",
                },
            ],
            indicators=[
                Indicator(
                    "Vehicles over 30 mph on Moor Lane",
                    "outcome",
                    "percent",
                    "vehicles speeding",
                    "down",
                    (d(2026, 3, 1), "41"),
                    "20",
                    [(d(2026, 10, 1), "27")],
                    "Speed survey",
                ),
            ],
            assessment={
                "provider_name": "Low Moor Parish Council",
                "service_part": "Siting and looking after the signs",
                "capacity": "ready",
                "skills": "ready",
                "governance": "ready",
                "insurance": "ready",
                "risks": "ready",
                "can_deliver": "part",
                "decision": "co_deliver",
                "decision_reason": "The parish maintains the signs; highways fit them.",
            },
        ),
        Plan(
            reference="DEMO-SS-01",
            title="Northfield East street champions",
            summary=(
                "Residents act as street champions: they report litter, fly-tipping and "
                "graffiti (their reports go to the top of the area team's list), lead litter "
                "picks and meet the street scene team twice a year."
            ),
            areas=["Eastgate", "Harrow Hill", "Millbrook"],
            service="Street scene",
            forms=["co_design", "co_delivery", "co_assessment"],
            stage="evaluate",
            officer=OFFICER,
            councillor=_cllr("Harrow Hill"),
            started=d(2024, 9, 1),
            pace=120,
            scale=Project.Scale.WHOLE_SERVICE,
            ladder_target=6,
            ladder_actual=6,
            residents=[
                (_resident("Eastgate", 2), "street_champion", "involved", "26"),
                (_resident("Eastgate", 3), "street_champion", "involved", "19"),
                (_resident("Harrow Hill", 1), "street_champion", "leading", "41"),
                (_resident("Harrow Hill", 2), "street_champion", "consulted", "3"),
                (_resident("Millbrook", 2), "street_champion", "involved", "15"),
                (_resident("Millbrook", 3), "co_designer", "involved", "8"),
            ],
            funding=[
                {
                    "source": "council_service",
                    "amount": "4800",
                    "description": "Litter picking kits and recycling bags",
                },
                {
                    "source": "area_budget",
                    "budget": "ne_area",
                    "amount": "3000",
                    "description": "Two get-togethers a year and the newsletter",
                },
            ],
            indicators=[
                Indicator(
                    "Residents satisfied with the cleanliness of their area",
                    "outcome",
                    "percent",
                    "residents satisfied",
                    "up",
                    (d(2024, 9, 1), "61"),
                    "78",
                    [(d(2025, 9, 1), "70"), (d(2026, 9, 1), "78")],
                    "Residents' survey",
                ),
                Indicator(
                    "Environmental reports from street champions",
                    "demand",
                    "number",
                    "reports a month",
                    "up",
                    (d(2024, 9, 1), "0"),
                    "40",
                    [(d(2025, 3, 1), "22"), (d(2026, 3, 1), "43")],
                    "Issue reports",
                ),
                Indicator(
                    "Cost of street cleansing",
                    "cost",
                    "pounds",
                    "pounds a year",
                    "down",
                    (d(2024, 4, 1), "2000000"),
                    "1700000",
                    [(d(2026, 4, 1), "1700000")],
                    "Street scene budget",
                ),
            ],
            assessment={
                "provider_name": "Northfield East street champions",
                "service_part": "Reporting, litter picks and campaigns",
                "capacity": "ready",
                "skills": "with_support",
                "governance": "ready",
                "insurance": "ready",
                "risks": "with_support",
                "can_deliver": "part",
                "decision": "co_deliver",
                "decision_reason": "Champions supplement, never replace, the area team: "
                "fly-tips with hazardous items stay with staff.",
            },
            public_summary=(
                "Street champions and the council's street scene team keep Northfield East "
                "clean together. Satisfaction with cleanliness rose from 61% to 78%."
            ),
        ),
        Plan(
            reference="DEMO-CC-01",
            title="Community cafés with adults with learning disabilities",
            summary=(
                "Adults with learning disabilities work in cafés at two community centres, "
                "with volunteers and day-care staff qualified in catering, instead of a "
                "separate day centre."
            ),
            areas=["Church Ashby", "Rivermouth"],
            service="Adult social care",
            forms=["co_design", "co_delivery"],
            stage="deliver",
            officer=RIVERMOUTH_OFFICER,
            councillor=_cllr("Church Ashby"),
            started=d(2025, 11, 1),
            pace=80,
            ladder_target=6,
            ladder_actual=6,
            communities=["People with learning disabilities"],
            residents=[
                (_resident("Church Ashby", 1), "volunteer", "involved", "52"),
                (_resident("Church Ashby", 2), "volunteer", "involved", "37"),
                (_resident("Rivermouth", 3), "co_designer", "leading", "21"),
            ],
            funding=[
                {
                    "source": "council_service",
                    "amount": "8000",
                    "description": "Café kitchens and catering training",
                },
                {
                    "source": "partner",
                    "partner": "Northfield Place NHS Integrated Care Board",
                    "amount": "6000",
                    "description": "Health and wellbeing sessions",
                },
            ],
            indicators=[
                Indicator(
                    "Adults with learning disabilities working in the cafés",
                    "outcome",
                    "number",
                    "people",
                    "up",
                    (d(2025, 11, 1), "0"),
                    "24",
                    [(d(2026, 6, 1), "19")],
                    "Centre records",
                ),
                Indicator(
                    "Places needed at the separate day centre",
                    "demand",
                    "number",
                    "places",
                    "down",
                    (d(2025, 11, 1), "31"),
                    "10",
                    [(d(2026, 6, 1), "14")],
                    "Adult social care",
                ),
            ],
            assessment={
                "provider_name": "Church Ashby Community Centre volunteers",
                "service_part": "Running the café with day-care staff",
                "capacity": "with_support",
                "skills": "with_support",
                "governance": "ready",
                "insurance": "ready",
                "risks": "with_support",
                "can_deliver": "part",
                "decision": "co_deliver",
                "decision_reason": "Volunteers hold no keys and work no rota; staff supervise.",
            },
        ),
        Plan(
            reference="DEMO-MK-01",
            title="Environmental toolkits for Neighbourhood Action Groups",
            summary=(
                "Neighbourhood Action Groups asked for tools to deal with small litter and "
                "graffiti problems themselves. Residents are choosing what goes in a toolkit, "
                "the training, the disclaimer and the tasks that are not for volunteers."
            ),
            areas=["Northfield Central"],
            service="Environment and green spaces",
            forms=["co_design", "co_delivery"],
            stage="design",
            officer=OFFICER,
            councillor=_cllr("Station Road"),
            started=d(2026, 9, 15),
            ladder_target=7,
            residents=[
                (_resident("Station Road", 3), "co_designer", "leading", "6"),
                (_resident("Abbey Fields", 1), "co_designer", "involved", "3"),
            ],
            decisions={
                "design": (
                    "First toolkit workshop",
                    "Litter pickers, graffiti wipes, gloves, "
                    "goggles and high-visibility vests; fly-tips and structural "
                    "repairs are never for volunteers.",
                ),
            },
        ),
        Plan(
            reference="DEMO-LIB-01",
            title="Library opening hours review",
            summary=(
                "A survey of library users about new opening hours. Residents were asked "
                "to comment on options the service had already chosen."
            ),
            areas=["Northfield Central", "Northfield East"],
            service="Leisure and culture",
            forms=["co_design"],
            stage="design",
            officer=OFFICER,
            councillor=_cllr("Town Centre"),
            started=d(2026, 10, 1),
            ladder_target=6,
            ladder_actual=4,
            residents=[(_resident("Eastgate", 4), "co_designer", "consulted", "1")],
        ),
        Plan(
            reference="DEMO-SK-01",
            title="Station Road skate park redesign",
            summary="Young people redesign the ten-year-old skate park.",
            areas=["Station Road"],
            service="Parks",
            forms=["co_design"],
            stage="commission",
            officer=OFFICER,
            councillor=_cllr("Station Road"),
            started=d(2025, 6, 1),
            pace=60,
            ladder_target=7,
            ladder_actual=6,
            communities=["Young people"],
            residents=[(_resident("Station Road", 4), "co_designer", "leading", "12")],
            stop_reason=(
                "The site was sold for housing. Young people's designs have gone to the parks "
                "team for the new park on Mill Lane."
            ),
        ),
        # The projects delivering Northfield Central's first adopted priority, and the
        # Rivermouth small grant's project: governance.demo adds their awards, match
        # funding and sign-offs, and links the first two to the priority.
        Plan(
            reference="NC-GOV-01",
            title="School streets pilot",
            summary=(
                "Parents, pupils and residents design timed closures of the streets outside "
                "two primary schools at the start and end of the school day."
            ),
            areas=["Town Centre"],
            service="Highways and transport",
            forms=["co_design", "co_delivery"],
            stage="design",
            officer=OFFICER,
            councillor=f"councillor@{EMAIL_DOMAIN}",
            started=d(2026, 9, 1),
            ladder_target=6,
            residents=[(_resident("Town Centre", 2), "co_designer", "involved", "8")],
        ),
        Plan(
            reference="NC-GOV-02",
            title="Crossing patrol volunteers",
            summary=(
                "Residents trained and vetted as volunteer school crossing patrols, for the "
                "crossings the council no longer staffs near Abbey Fields' primary schools."
            ),
            areas=["Abbey Fields"],
            service="Highways and transport",
            partners=[POLICE],
            forms=["co_design", "co_delivery"],
            stage="deliver",
            officer=OFFICER,
            councillor=_cllr("Abbey Fields"),
            started=d(2026, 3, 2),
            pace=60,
            ladder_target=6,
            ladder_actual=6,
            residents=[
                (_resident("Abbey Fields", 3), "co_designer", "leading", "22"),
                (_resident("Abbey Fields", 4), "volunteer", "involved", "15"),
            ],
            decisions={
                "design": (
                    "Parents' meeting at Abbey Fields Primary",
                    "Volunteers patrol the two busiest crossings at the start and end of "
                    "the school day, in pairs, after police vetting and training.",
                ),
            },
            indicators=[
                Indicator(
                    "School crossings with a patrol at both ends of the day",
                    "outcome",
                    "number",
                    "crossings",
                    "up",
                    (d(2026, 3, 2), "0"),
                    "4",
                    [(d(2026, 10, 1), "2")],
                    "Patrol rota",
                ),
            ],
            assessment={
                "provider_name": "Abbey Fields crossing patrol volunteers",
                "service_part": "Patrolling two school crossings",
                "capacity": "with_support",
                "skills": "with_support",
                "governance": "with_support",
                "insurance": "ready",
                "risks": "with_support",
                "can_deliver": "part",
                "decision": "co_deliver",
                "decision_reason": "Volunteers patrol in pairs; the council trains, equips "
                "and insures them and the police vet them.",
            },
        ),
        Plan(
            reference="RV-GOV-01",
            title="Harbour car park youth shelter",
            summary=(
                "Young people who gather at the harbour car park design and build a shelter "
                "of their own, with the Safer Neighbourhood partnership."
            ),
            areas=["Rivermouth"],
            service="Community safety",
            forms=["co_design", "co_delivery"],
            stage="design",
            officer=RIVERMOUTH_OFFICER,
            councillor=_cllr("Rivermouth"),
            started=d(2026, 10, 1),
            ladder_target=7,
            communities=["Young people"],
            residents=[(_resident("Rivermouth", 4), "co_designer", "leading", "5")],
        ),
    ]


def _decide(request: SignOffRequest, member: User) -> None:
    if request.status == SignOffRequest.Status.PENDING:
        signoff_decide(request=request, decided_by=member, approve=True, comment="Agreed.")


def _build(plan: Plan, context: DemoContext, budgets, participants) -> Project:
    officer = context.people[plan.officer]
    member = context.people[plan.councillor]
    areas = [context.areas[name] for name in plan.areas]
    communities = [CommunityOfInterest.objects.get_or_create(name=n)[0] for n in plan.communities]
    partners = [context.agencies[n] for n in plan.partners]
    project = services.project_create(
        created_by=officer,
        reference=plan.reference,
        title=plan.title,
        summary=plan.summary,
        areas=areas,
        forms=plan.forms,
        service_area=ServiceArea.objects.get_or_create(name=plan.service)[0],
        communities=communities,
        lead_officer=officer,
        partner_agencies=partners,
        mode=plan.mode,
        scale=plan.scale,
        ladder_target=plan.ladder_target,
        ladder_actual=plan.ladder_actual,
        planned_start=plan.started,
        planned_end=plan.started + datetime.timedelta(days=plan.pace * 4),
    )
    services.roster_entry_add(
        project=project,
        added_by=officer,
        user=officer,
        role=RosterEntry.Role.STAFF_LEAD,
        started_on=plan.started,
        hours=Decimal(plan.pace // 5),
    )
    for n, (email, role, level, hours) in enumerate(plan.residents):
        services.roster_entry_add(
            project=project,
            added_by=officer,
            participant=participants[email],
            role=role,
            participation_level=level,
            started_on=plan.started + datetime.timedelta(days=7 * n),
            hours=Decimal(hours),
        )
    if plan.partner_lead:
        services.roster_entry_add(
            project=project,
            added_by=officer,
            user=context.people[PARTNER],
            role=RosterEntry.Role.PARTNER_LEAD,
            started_on=plan.started,
        )
    for spec in plan.indicators:
        indicator = services.indicator_create(
            project=project,
            created_by=officer,
            name=spec.name,
            kind=spec.kind,
            unit=spec.unit,
            measure=spec.measure,
            direction=spec.direction,
            baseline_value=Decimal(spec.baseline[1]),
            baseline_on=spec.baseline[0],
            target_value=Decimal(spec.target) if spec.target else None,
            source=spec.source,
        )
        for on, value in spec.readings:
            services.measurement_record(
                indicator=indicator, recorded_by=officer, measured_on=on, value=Decimal(value)
            )
    _move_to(project, plan.stage, plan=plan, officer=officer, member=member)
    # Money is added once the project is where it stands, so that a line still waiting
    # for sign-off (as in DEMO-AAP-03) shows on the page rather than blocking the build.
    for spec in plan.funding:
        spec = dict(spec)
        spent = Decimal(spec.pop("spent", "0"))
        approve = spec.pop("approve", True)
        if "budget" in spec:
            spec["budget"] = budgets[spec["budget"]]
        if "partner" in spec:
            name = spec.pop("partner")
            spec["partner_agency"] = context.agencies.get(name) or PartnerAgencyFactory(name=name)
        line = services.funding_line_create(
            project=project,
            created_by=officer,
            amount=Decimal(spec.pop("amount")),
            committed_on=plan.started,
            **spec,
        )
        if line.status == FundingLine.Status.AWAITING_SIGNOFF:
            request = services.funding_line_request_signoff(line=line, requested_by=officer)
            if approve:
                # The project's councillor, unless the money is their own neighbourhood
                # budget: then another member for the ward decides.
                deciders = list(signoff_deciders(request=request))
                _decide(request, member if member in deciders else deciders[0])
                # The approval committed it; dated back with the rest of the demo.
                FundingLine.objects.filter(pk=line.pk).update(committed_on=plan.started)
                line.refresh_from_db()
        if spent:
            services.funding_line_update(
                line=line,
                updated_by=officer,
                expected_version=line.version,
                description=line.description,
                spent=spent,
            )
    if plan.stop_reason:
        services.project_stop(project=project, actor=officer, reason=plan.stop_reason)
    if plan.public_summary:
        project.refresh_from_db()
        services.project_publish(
            project=project,
            actor=officer,
            public_summary=plan.public_summary,
            expected_version=project.version,
        )
    _date_the_timeline(project, plan)
    return project


def _move_to(project: Project, target: str, *, plan: Plan, officer, member) -> None:
    """Meet each gate as the officer would, and move on until the project reaches
    `target`."""
    while project.stage != target:
        stage = project.stage
        title, summary = plan.decisions.get(
            stage,
            (
                f"What residents decided in {stage}",
                f"Residents agreed the plan for {stage} at their meeting.",
            ),
        )
        services.document_create(
            project=project,
            recorded_by=officer,
            stage=stage,
            kind=ProjectDocument.Kind.DECISION,
            title=title,
            summary=summary,
        )
        if stage in SIGNOFF_STAGES:
            request = services.project_gate_signoff_request(
                project=project,
                requested_by=officer,
                summary=f"{project.title}: residents have decided; ready to leave {stage}.",
            )
            _decide(request, member)
        if stage == Project.Stage.COMMISSION and plan.assessment:
            services.assessment_save(
                project=project,
                assessed_by=officer,
                assessed_on=plan.started,
                **plan.assessment,
            )
        project.refresh_from_db()
        services.project_advance(
            project=project, actor=officer, to_stage=stage_after(stage), note=summary
        )
        project.refresh_from_db()


def _date_the_timeline(project: Project, plan: Plan) -> None:
    """Date the project's history back to when it would have happened: each stage lasts
    `plan.pace` days from `plan.started` (demo data only)."""
    start = timezone.make_aware(datetime.datetime.combine(plan.started, datetime.time(10)))
    Project.objects.filter(pk=project.pk).update(created_at=start)
    ProjectDocument.objects.filter(project=project).update(created_at=start)
    moment = start
    for n, transition in enumerate(project.transitions.order_by("pk")):
        moment = start + datetime.timedelta(days=plan.pace * (n + 1))
        StageTransition.objects.filter(pk=transition.pk).update(occurred_at=moment)
        if transition.signoff_id:
            SignOffRequest.objects.filter(pk=transition.signoff_id).update(
                requested_at=moment - datetime.timedelta(days=14),
                decided_at=moment - datetime.timedelta(days=3),
            )
        ProjectDocument.objects.filter(project=project, stage=transition.from_stage).update(
            created_at=moment - datetime.timedelta(days=21)
        )
    Project.objects.filter(pk=project.pk).update(stage_entered_at=moment)


# The police report this indicator's figures through the partner API, quarter by quarter
# (as South Derbyshire's police reported anti-social behaviour). The quarter to 30
# September 2026 is left for the police to post: docs/api.md shows the call.
POLICE_INDICATOR = {
    "project": "DEMO-AAP-02",
    "name": "Anti-social behaviour incidents in the town centre",
    "kind": "outcome",
    "unit": "number",
    "measure": "incidents a quarter",
    "direction": "down",
    "baseline_value": Decimal("61"),
    "baseline_on": datetime.date(2025, 6, 30),
    "target_value": Decimal("40"),
    "target_on": datetime.date(2027, 3, 31),
    "source": "Police recorded incidents (Northfield Neighbourhood Policing Team)",
}
POLICE_READINGS = [
    (datetime.date(2025, 9, 30), "58", "Q2 2025/26"),
    (datetime.date(2025, 12, 31), "55", "Q3 2025/26: the festival's planning group starts"),
    (datetime.date(2026, 3, 31), "49", "Q4 2025/26"),
    (datetime.date(2026, 6, 30), "47", "Q1 2026/27"),
]


def _police_indicator(context: DemoContext) -> None:
    """The police's own indicator, its readings posted as their API client posts them."""
    police = context.agencies[POLICE]
    project = Project.objects.filter(reference=POLICE_INDICATOR["project"]).first()
    if project is None or not project.partner_agencies.filter(pk=police.pk).exists():
        return
    fields = {k: v for k, v in POLICE_INDICATOR.items() if k != "project"}
    indicator = project.indicators.filter(name=fields["name"]).first()
    if indicator is None:
        indicator = services.indicator_create(
            project=project,
            created_by=context.people[OFFICER],
            reported_by=police,
            **fields,
        )
    for measured_on, value, note in POLICE_READINGS:
        if not indicator.measurements.filter(measured_on=measured_on).exists():
            services.measurement_record_by_agency(
                indicator=indicator,
                agency=police,
                api_client="northfield-police-demo",
                measured_on=measured_on,
                value=Decimal(value),
                note=note,
            )


def demo_build(context: DemoContext) -> None:
    """Build the demo projects that do not exist yet."""
    _demo_projects_build(context)
    _police_indicator(context)


def _demo_projects_build(context: DemoContext) -> None:
    missing = [
        plan
        for plan in _plans(context)
        if not Project.objects.filter(reference=plan.reference).exists()
    ]
    if not missing:
        return
    budgets = _budgets(context)
    participants = _participants(context)
    for plan in missing:
        _build(plan, context, budgets, participants)
