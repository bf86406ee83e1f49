"""This app's part of the demo council (see coproduction.demo): idempotent.

- Northfield Central Area Action Partnership, run the Durham way: a 21-seat board (7
  community members, one of them chosen by lottery, 7 elected members, 7 partner
  managers), a spring forum that voted on priorities online and on paper, the board
  members' reviews, a board meeting that adopted and turned down priorities, their
  ratification, a task-and-finish group and the projects that deliver a priority, and the
  board's next meeting, three weeks ahead, with its agenda.
- Rivermouth Safer Neighbourhood partnership, run the South Derbyshire way: a quarterly
  public meeting agreeing 3 priorities for the next 3 months.
- Eastgate Neighbourhood Action Group, run the Milton Keynes way, with its 3 priorities.
- Budgets: £120,000 a year for each area, £25,000 for each councillor, a small grants
  fund of awards up to £2,500; awards and sign-offs in every state.

Each part is built once, through the services, and found again on the next run.
"""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.models import Area
from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from coproduction.demo import EMAIL_DOMAIN, DemoContext, person_ensure
from engagement import services as engagement_services
from engagement.models import EqualityResponse, Participant
from projects import services as project_services
from projects.models import FundingLine, Project

from .models import (
    Budget,
    Meeting,
    Partnership,
    Priority,
    SeatCategory,
    SignOffRequest,
    VotingMethod,
)
from .services import boards, budgets, lottery, meetings, priorities
from .signoffs import signoff_decide

AAP_NAME = "Northfield Central Area Action Partnership"
SAFER_NAME = "Rivermouth Safer Neighbourhood partnership"
NAG_NAME = "Eastgate Neighbourhood Action Group"

RESIDENTS = [
    # name, ward, sex, year of birth, ethnic group
    ("Joan Whitfield", "Town Centre", "female", 1951, "white_british"),
    ("Tariq Hussain", "Abbey Fields", "male", 1979, "asian_pakistani"),
    ("Grace Okonkwo", "Station Road", "female", 1988, "black_african"),
    ("Liam Doyle", "Town Centre", "male", 2001, "white_irish"),
    ("Mei Lin", "Abbey Fields", "female", 1995, "asian_chinese"),
    ("Brian Atkinson", "Station Road", "male", 1957, "white_british"),
    ("Sophie Turner", "Town Centre", "female", 2003, "mixed_white_black_caribbean"),
    ("Harjit Sandhu", "Station Road", "male", 1969, "asian_indian"),
    ("Kath Robson", "Abbey Fields", "female", 1962, "white_british"),
    ("Daniel Price", "Town Centre", "male", 1984, "white_british"),
    ("Amira Haddad", "Station Road", "female", 1999, "other_arab"),
    ("Peter Collins", "Abbey Fields", "male", 1946, "white_british"),
]

PARTNER_MANAGERS = [
    ("Northfield Fire and Rescue", "Station Manager Ruth Ellis", "ruth.ellis@fire.example.org"),
    (
        "Northfield Place NHS Integrated Care Board",
        "Dr Kwame Mensah",
        "kwame.mensah@nhs.example.org",
    ),
    (
        "Northfield Council for Voluntary Service",
        "Fiona Grant",
        "fiona.grant@cvs.example.org",
    ),
]

AAP_PRIORITIES = [
    ("Safer routes to school", "Crossings, lighting and 20 mph near the three primary schools."),
    ("Activities for young people", "Evening and holiday activities across the area."),
    ("Tackling loneliness in older people", "Lunch clubs, befriending and transport."),
    ("Cleaner streets and green spaces", "Litter, fly-tipping and neglected verges."),
    ("Support with the cost of living", "Advice sessions, warm spaces and a food pantry."),
]


def demo_build(context: DemoContext) -> None:
    officer = context.people[f"officer@{EMAIL_DOMAIN}"]
    rivermouth_officer = context.people[f"officer.rivermouth@{EMAIL_DOMAIN}"]
    residents = _residents(context)
    partners = _partner_managers(context)
    aap = _aap(context, officer, residents, partners)
    _safer_neighbourhood(context, rivermouth_officer, residents)
    _nag(context, officer)
    _budgets(context, officer, rivermouth_officer, aap)


def _residents(context: DemoContext) -> dict[str, Participant]:
    found = {}
    for name, ward, sex, year, ethnic in RESIDENTS:
        email = name.lower().replace(" ", ".") + "@example.org"
        participant, created = engagement_services.participant_get_or_create_by_email(
            email=email,
            defaults={
                "full_name": name,
                "home_ward": context.areas[ward],
                "postcode": "NF1 2AB",
                "participation_level": "involved",
            },
        )
        if created:
            engagement_services.equality_response_record(
                participant=participant,
                answers=engagement_services.EqualityAnswers(
                    year_of_birth=year, sex=sex, ethnic_group=ethnic
                ),
                source=EqualityResponse.Source.PAPER,
            )
        found[name] = participant
    board_user = context.people[f"board@{EMAIL_DOMAIN}"]
    found["David Chen"] = engagement_services.participant_for_account(
        user=board_user, defaults={"home_ward": context.areas["Town Centre"]}
    )
    return found


def _partner_managers(context: DemoContext) -> list[User]:
    people = [context.people["partner@police.example.org"]]
    for agency, name, email in PARTNER_MANAGERS:
        people.append(
            person_ensure(
                email=email,
                full_name=name,
                roles=(Role.PARTNER_AGENCY,),
                areas=[context.areas["Northfield Central"]],
                agency=context.agencies[agency],
            )
        )
    return people


def _ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _at(days_ago: int, hour: int = 18) -> dt.datetime:
    day = _ago(days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _aap(context, officer, residents, partners) -> Partnership:
    area = context.areas["Northfield Central"]
    partnership, created = Partnership.objects.get_or_create(
        name=AAP_NAME,
        defaults={
            "kind": Partnership.Kind.AREA_ACTION_PARTNERSHIP,
            "area": area,
            "description": (
                "Residents, councillors and partner agencies deciding together what matters "
                "in Northfield Central. The forum meets twice a year; the board of 21 "
                "meets every two months."
            ),
        },
    )
    partnership.agencies.add(*context.agencies.values())
    if not created and hasattr(partnership, "board"):
        return partnership

    board = boards.board_create(
        partnership=partnership,
        name="Northfield Central AAP board",
        quorum=7,
        seats={"community": 7, "elected_member": 7, "partner": 7},
        category_quorums={"community": 2, "elected_member": 2, "partner": 2},
        created_by=officer,
    )
    term_start = _ago(400)
    term_end = term_start + dt.timedelta(days=3 * 365)
    community = [
        "David Chen",
        "Joan Whitfield",
        "Tariq Hussain",
        "Grace Okonkwo",
        "Brian Atkinson",
    ]
    for index, name in enumerate(community):
        boards.board_membership_add(
            board=board,
            kind=SeatCategory.Kind.COMMUNITY,
            participant=residents[name],
            position="vice_chair" if index == 1 else "member",
            term_start=term_start,
            term_end=term_end,
            added_by=officer,
        )
    chair = context.people[f"councillor@{EMAIL_DOMAIN}"]
    ward_members = (
        User.objects.filter(
            groups__name=Role.ELECTED_MEMBER,
            areas__in=Area.objects.filter(parent=context.areas["Northfield Central"]),
        )
        .exclude(pk=chair.pk)
        .distinct()
        .order_by("email")
    )
    # Six of the seven elected members' seats filled: one vacancy shows.
    councillors = [chair, *list(ward_members)[:5]]
    for councillor in councillors:
        boards.board_membership_add(
            board=board,
            kind=SeatCategory.Kind.ELECTED_MEMBER,
            user=councillor,
            position="chair" if councillor == chair else "member",
            route="nominated",
            term_start=term_start,
            added_by=officer,
        )
    for partner in partners:
        boards.board_membership_add(
            board=board,
            kind=SeatCategory.Kind.PARTNER,
            user=partner,
            route="nominated",
            term_start=term_start,
            added_by=officer,
        )
    _lottery_seat(board, officer, residents)
    _aap_cycle(partnership, board, officer, residents, councillors)
    return partnership


def _lottery_seat(board, officer, residents) -> None:
    """One community seat filled by lottery from an open call, with quotas."""
    call = lottery.seat_call_create(
        board=board,
        title="Join the board: a community member's seat",
        description="One seat for a resident, chosen by lottery so the board reflects the area.",
        seats=1,
        opens_on=_ago(120),
        closes_on=_ago(92),
        created_by=officer,
    )
    applicants = ["Liam Doyle", "Mei Lin", "Sophie Turner", "Harjit Sandhu", "Amira Haddad"]
    for number, name in enumerate(applicants, start=1):
        lottery.seat_application_add(
            call=call,
            participant=residents[name],
            address_line=f"{number * 7} Priory Road",
            postcode="NF1 2AB",
            statement="I want to help decide what happens where I live.",
            added_by=officer,
        )
    lottery.seat_quota_set(
        call=call, dimension="age", category="16_24", min_seats=1, max_seats=1, set_by=officer
    )
    draw = lottery.lottery_draw(call=call, drawn_by=officer, seed=20260401)
    lottery.lottery_panel_appoint(
        draw=draw,
        term_start=_ago(90),
        term_end=_ago(90) + dt.timedelta(days=3 * 365),
        appointed_by=officer,
    )


def _aap_cycle(partnership, board, officer, residents, councillors) -> None:
    forum = meetings.meeting_create(
        partnership=partnership,
        kind=Meeting.Kind.FORUM,
        title="Northfield Central spring forum",
        description="Open to everyone who lives or works in Northfield Central.",
        starts_at=_at(40),
        ends_at=_at(40, 20),
        place="Northfield Community Centre, Abbey Road",
        created_by=officer,
    )
    cycle = priorities.priority_cycle_create(
        partnership=partnership,
        title=f"Priorities for {_ago(-30).year}/{(_ago(-30).year + 1) % 100:02d}",
        period_start=_ago(-30),
        period_end=_ago(-30) + dt.timedelta(days=364),
        voting_method=VotingMethod.RANKING,
        votes_per_person=3,
        adopt_count=3,
        needs_ratification=True,
        forum=forum,
        created_by=officer,
    )
    for title, description in AAP_PRIORITIES:
        priorities.priority_propose(
            cycle=cycle, title=title, description=description, proposed_by_user=officer
        )
    priorities.priority_cycle_advance(cycle=cycle, advanced_by=officer)
    by_title = {p.title: p.pk for p in cycle.priorities.all()}
    safer, young, lonely, clean, cost = (title for title, _description in AAP_PRIORITIES)
    rankings = [
        [safer, young, clean],
        [lonely, safer],
        [young, cost, safer],
        [safer, lonely],
        [clean, safer, young],
        [cost, lonely],
        [young, safer],
        [lonely, cost],
    ]
    voters = list(residents.values())[:12]
    for index, (voter, ranking) in enumerate(zip(voters, rankings * 2, strict=False)):
        meetings.meeting_attendance_record(
            meeting=forum, participant=voter, attended=True, recorded_by=officer
        )
        # Paper ballots are the forum's, dated its night; the rest voted online since.
        paper = index % 3 == 0
        priorities.ballot_cast(
            cycle=cycle,
            participant=voter,
            choices={by_title[title]: rank for rank, title in enumerate(ranking, start=1)},
            channel="paper" if paper else "online",
            cast_by=officer,
            cast_on=timezone.localdate(forum.event.starts_at) if paper else None,
        )
    priorities.priority_cycle_advance(cycle=cycle, advanced_by=officer)

    members = list(board.memberships.filter(status="current").select_related("category"))
    scores = [5, 4, 4, 2, 3]
    for offset, membership in enumerate(members[:8]):
        for index, priority in enumerate(cycle.priorities.order_by("forum_rank")):
            priorities.priority_review_save(
                priority=priority,
                membership=membership,
                score=max(1, min(5, scores[index] - (offset % 2))),
                comment="Strong support at the forum." if index == 0 else "",
                saved_by=officer,
            )

    meeting = meetings.meeting_create(
        partnership=partnership,
        kind=Meeting.Kind.BOARD,
        title="Northfield Central AAP board",
        starts_at=_at(14),
        ends_at=_at(14, 20),
        place="Northfield Town Hall, Committee Room 2",
        created_by=officer,
    )
    item = meetings.agenda_item_add(
        meeting=meeting,
        title="Priorities for the year",
        description="The forum's result and board members' review.",
        added_by=officer,
    )
    grant_item = meetings.agenda_item_add(
        meeting=meeting,
        title="Small grant to Abbey Fields Residents' Association",
        added_by=officer,
    )
    # One member of each category sends apologies; the rest are present (quorate).
    absent = {}
    for membership in members:
        absent.setdefault(membership.category.kind, membership.pk)
    statuses = {m.pk: "apologies" if m.pk in absent.values() else "present" for m in members}
    meetings.member_attendance_set(meeting=meeting, statuses=statuses, recorded_by=officer)
    voting = [m for m in members if statuses[m.pk] == "present"]
    ranked = list(cycle.priorities.order_by("forum_rank"))
    effects = ["adopt", "adopt", "adopt", "reject", "reject"]
    for priority, effect in zip(ranked, effects, strict=True):
        meetings.decision_record(
            item=item,
            motion=(
                f"To adopt “{priority.title}” as a priority."
                if effect == "adopt"
                else f"Not to adopt “{priority.title}” this year."
            ),
            proposer=voting[0],
            seconder=voting[1],
            votes={m: ("for" if i < 9 else "abstain") for i, m in enumerate(voting)},
            priority=priority,
            effect=effect,
            recorded_by=officer,
        )
    priorities.priority_cycle_advance(cycle=cycle, advanced_by=officer)
    interested = voting[3]
    meetings.interest_declare(
        item=grant_item,
        membership=interested,
        kind="other_registrable",
        nature="Member of the residents' association's committee.",
        withdrew=True,
        declared_by=officer,
    )
    meetings.decision_record(
        item=grant_item,
        motion="To award £1,800 to Abbey Fields Residents' Association for a garden.",
        proposer=voting[0],
        seconder=voting[2],
        votes={
            m: ("for" if i % 2 else "against") for i, m in enumerate(voting) if m != interested
        },
        recorded_by=officer,
    )
    meetings.minutes_save(
        meeting=meeting,
        minutes=(
            "The chair welcomed members. The board considered the spring forum's ranking "
            "of priorities and the members' scores, and adopted three priorities for the "
            "year. A proposed small grant was not agreed; the applicant will be invited to "
            "apply to the small grants fund."
        ),
        saved_by=officer,
    )
    meetings.minutes_publish(meeting=meeting, published_by=officer)

    # Ratification: one approved (with its group and projects), one pending, one refused.
    adopted = list(cycle.priorities.filter(status=Priority.Status.ADOPTED).order_by("forum_rank"))
    chair = next(c for c in councillors if c.email == f"councillor@{EMAIL_DOMAIN}")
    other = next(c for c in councillors if c != chair)
    requests = [priorities.priority_ratification(p) for p in adopted]
    signoff_decide(request=requests[0], decided_by=chair, approve=True, comment="Agreed.")
    signoff_decide(
        request=requests[2],
        decided_by=other,
        approve=False,
        comment="Ask the board to narrow it to the two estates named at the forum.",
    )
    first = adopted[0]
    for index, name in enumerate(["Grace Okonkwo", "Liam Doyle", "Kath Robson"]):
        priorities.task_group_member_add(
            priority=first,
            participant=residents[name],
            role="lead" if index == 0 else "member",
            joined_on=_ago(7),
            added_by=officer,
        )
    priorities.task_group_member_add(
        priority=first, user=officer, joined_on=_ago(7), added_by=officer
    )
    # The projects demo built them, through their stage gates.
    projects = list(
        Project.objects.filter(reference__in=["NC-GOV-01", "NC-GOV-02"]).order_by("reference")
    )
    priorities.priority_projects_set(priority=first, projects=projects, changed_by=officer)
    _next_board_meeting(partnership, officer)
    _youth_cycle(partnership, board, officer, residents)


def _next_board_meeting(partnership, officer) -> None:
    """The board's next meeting, three weeks ahead with its agenda: where members find
    their papers and where an officer records interests declared, the quorum and votes."""
    meeting = meetings.meeting_create(
        partnership=partnership,
        kind=Meeting.Kind.BOARD,
        title="Northfield Central AAP board (winter)",
        starts_at=_at(-21),
        ends_at=_at(-21, 20),
        place="Northfield Town Hall, Committee Room 2",
        created_by=officer,
    )
    meetings.agenda_item_add(
        meeting=meeting,
        title="Progress on the year's priorities",
        description="Reports from the task-and-finish groups.",
        added_by=officer,
    )
    meetings.agenda_item_add(
        meeting=meeting,
        title="Small grants: the winter round",
        description="Applications to the small grants fund for decision.",
        paper=_paper(
            "small-grants-winter-round.pdf",
            "Small grants: the winter round",
            "Four applications to the small grants fund, with the officers' assessment "
            "of each against the partnership's priorities, for the board's decision.",
        ),
        paper_title="Small grants: report to the board",
        added_by=officer,
    )


def _paper(name: str, title: str, text: str) -> SimpleUploadedFile:
    """A short agenda paper, as a PDF, so members have a paper to open."""
    import weasyprint

    pdf = weasyprint.HTML(string=f"<h1>{title}</h1><p>{text}</p>").write_pdf()
    return SimpleUploadedFile(name, pdf, "application/pdf")


def _youth_cycle(partnership, board, officer, residents) -> None:
    """A second, smaller cycle now with the board: David Chen's review is still to do."""
    cycle = priorities.priority_cycle_create(
        partnership=partnership,
        title="Youth fund priorities",
        period_start=_ago(-60),
        period_end=_ago(-60) + dt.timedelta(days=180),
        voting_method=VotingMethod.DOTS,
        votes_per_person=5,
        adopt_count=2,
        needs_ratification=True,
        created_by=officer,
    )
    titles = ["Skate park repairs", "Youth club opening hours", "Holiday sports camps"]
    for title in titles:
        priorities.priority_propose(cycle=cycle, title=title, proposed_by_user=officer)
    priorities.priority_cycle_advance(cycle=cycle, advanced_by=officer)
    by_title = {p.title: p.pk for p in cycle.priorities.all()}
    allocations = [(3, 2, 0), (0, 4, 1), (5, 0, 0), (1, 1, 3), (2, 3, 0)]
    for name, dots in zip(
        ["Liam Doyle", "Sophie Turner", "Mei Lin", "Amira Haddad", "Daniel Price"],
        allocations,
        strict=True,
    ):
        priorities.ballot_cast(
            cycle=cycle,
            participant=residents[name],
            choices={by_title[t]: n for t, n in zip(titles, dots, strict=True) if n},
            channel="online",
            cast_by=None,
        )
    priorities.priority_cycle_advance(cycle=cycle, advanced_by=officer)
    reviewers = board.memberships.filter(status="current").exclude(participant__user__isnull=False)
    for membership in reviewers[:4]:
        for priority in cycle.priorities.all():
            priorities.priority_review_save(
                priority=priority, membership=membership, score=4, comment="", saved_by=officer
            )


def _safer_neighbourhood(context, officer, residents) -> None:
    """South Derbyshire: a quarterly public meeting agrees 3 priorities for 3 months."""
    area = context.areas["Rivermouth and Villages"]
    partnership, created = Partnership.objects.get_or_create(
        name=SAFER_NAME,
        defaults={
            "kind": Partnership.Kind.SAFER_NEIGHBOURHOOD,
            "area": area,
            "description": "Police, council and residents agreeing three priorities a quarter.",
        },
    )
    partnership.agencies.add(context.agencies["Northfield Neighbourhood Policing Team"])
    if not created:
        return
    forum = meetings.meeting_create(
        partnership=partnership,
        kind=Meeting.Kind.FORUM,
        title="Rivermouth quarterly public meeting",
        starts_at=_at(10, 19),
        ends_at=_at(10, 21),
        place="Rivermouth Village Hall",
        created_by=officer,
    )
    quarter_start = _ago(-5)
    cycle = priorities.priority_cycle_create(
        partnership=partnership,
        title="Priorities for the next three months",
        period_start=quarter_start,
        period_end=quarter_start + dt.timedelta(days=91),
        voting_method=VotingMethod.APPROVAL,
        votes_per_person=3,
        adopt_count=3,
        needs_ratification=False,
        forum=forum,
        created_by=officer,
    )
    titles = [
        "Speeding on the coast road",
        "Anti-social behaviour at the harbour car park",
        "Off-road bikes on the dunes",
        "Parking near Church Ashby school",
    ]
    for title in titles:
        priorities.priority_propose(cycle=cycle, title=title, proposed_by_user=officer)
    priorities.priority_cycle_advance(cycle=cycle, advanced_by=officer)
    by_title = {p.title: p.pk for p in cycle.priorities.all()}
    for number in range(1, 19):
        participant, _created = engagement_services.participant_get_or_create_by_reference(
            reference=f"RV-{number:04d}", defaults={"home_ward": context.areas["Rivermouth"]}
        )
        ticks = titles[: 3 if number % 4 else 2] if number % 5 else titles[1:]
        priorities.ballot_cast(
            cycle=cycle,
            participant=participant,
            choices={by_title[t]: 1 for t in ticks},
            channel="paper",
            cast_by=officer,
            cast_on=timezone.localdate(forum.event.starts_at),
        )
        meetings.meeting_attendance_record(
            meeting=forum, participant=participant, attended=True, recorded_by=officer
        )
    priorities.priority_cycle_advance(cycle=cycle, advanced_by=officer)
    # The public meeting itself agrees the top three.
    priorities.priority_cycle_adopt_forum_result(cycle=cycle, decided_by=officer)


def _nag(context, officer) -> None:
    """Milton Keynes: a Neighbourhood Action Group with its three priorities."""
    partnership, created = Partnership.objects.get_or_create(
        name=NAG_NAME,
        defaults={
            "kind": Partnership.Kind.NEIGHBOURHOOD_ACTION_GROUP,
            "area": context.areas["Eastgate"],
            "description": "Residents and agencies in Eastgate; three priorities at a time.",
        },
    )
    if not created:
        return
    cycle = priorities.priority_cycle_create(
        partnership=partnership,
        title="Eastgate NAG priorities",
        period_start=_ago(20),
        period_end=_ago(20) + dt.timedelta(days=180),
        voting_method=VotingMethod.DOTS,
        votes_per_person=5,
        adopt_count=3,
        needs_ratification=False,
        created_by=officer,
    )
    titles = [
        "Fly-tipping behind the parade",
        "Overgrown footpaths",
        "Dog fouling",
        "Street lighting",
    ]
    for title in titles:
        priorities.priority_propose(cycle=cycle, title=title, proposed_by_user=officer)
    priorities.priority_cycle_advance(cycle=cycle, advanced_by=officer)
    by_title = {p.title: p.pk for p in cycle.priorities.all()}
    dots = [
        {"Fly-tipping behind the parade": 3, "Overgrown footpaths": 2},
        {"Dog fouling": 4, "Fly-tipping behind the parade": 1},
        {"Overgrown footpaths": 3, "Street lighting": 2},
        {"Fly-tipping behind the parade": 5},
    ]
    for number, allocation in enumerate(dots, start=1):
        participant, _created = engagement_services.participant_get_or_create_by_reference(
            reference=f"EG-{number:04d}", defaults={"home_ward": context.areas["Eastgate"]}
        )
        priorities.ballot_cast(
            cycle=cycle,
            participant=participant,
            choices={by_title[t]: n for t, n in allocation.items()},
            channel="paper",
            cast_by=officer,
        )
    priorities.priority_cycle_advance(cycle=cycle, advanced_by=officer)
    priorities.priority_cycle_adopt_forum_result(cycle=cycle, decided_by=officer)


def financial_year() -> int:
    """The financial year today falls in (April to March), by the year it starts."""
    return Budget.financial_year_of(timezone.localdate())


AREA_BUDGET = Decimal("120000")
NEIGHBOURHOOD_BUDGET = Decimal("25000")
SMALL_GRANTS_FUND = Decimal("15000")
SMALL_GRANT_MAX = Decimal("2500")
SMALL_GRANTS_NAME = "Rivermouth and Villages Safer Neighbourhoods small grants"


def budgets_ensure(context: DemoContext, *, year: int | None = None) -> dict[str, Budget]:
    """The demo's devolved budgets for a financial year, made once: Durham's £120,000 area
    budget for each area, a £25,000 neighbourhood budget for each ward councillor, and
    South Derbyshire's small grants fund (grants of up to £2,500). The projects demo
    draws on them before the partnerships exist; this app links the area budget to its
    partnership afterwards. Keys: "area:<area>", "neighbourhood:<email>", "small_grants"."""
    year = year or financial_year()
    found: dict[str, Budget] = {}
    for area_name in ["Northfield Central", "Northfield East", "Rivermouth and Villages"]:
        found[f"area:{area_name}"] = Budget.objects.get_or_create(
            name=f"{area_name} area budget",
            financial_year=year,
            defaults={
                "kind": Budget.Kind.AREA_BUDGET,
                "amount": AREA_BUDGET,
                "area": context.areas[area_name],
            },
        )[0]
    councillors = User.objects.filter(groups__name=Role.ELECTED_MEMBER).order_by("email")
    for councillor in councillors.prefetch_related("areas"):
        ward = next((a for a in councillor.areas.all() if a.kind == Area.Kind.WARD), None)
        if ward is None:
            continue
        found[f"neighbourhood:{councillor.email}"] = Budget.objects.get_or_create(
            name=f"Neighbourhood budget: {councillor.full_name}",
            financial_year=year,
            defaults={
                "kind": Budget.Kind.NEIGHBOURHOOD_BUDGET,
                "amount": NEIGHBOURHOOD_BUDGET,
                "area": ward,
                "holder": councillor,
            },
        )[0]
    found["small_grants"] = small_grants_fund_ensure(context, year=year)
    return found


def small_grants_fund_ensure(context: DemoContext, *, year: int) -> Budget:
    return Budget.objects.get_or_create(
        name=SMALL_GRANTS_NAME,
        financial_year=year,
        defaults={
            "kind": Budget.Kind.SMALL_GRANTS,
            "amount": SMALL_GRANTS_FUND,
            "max_award": SMALL_GRANT_MAX,
            "area": context.areas["Rivermouth and Villages"],
        },
    )[0]


def _decide(request: SignOffRequest, *, approve: bool, comment: str, chooser=None) -> None:
    """A member who may decide the request decides it (`chooser` picks among them)."""
    from .signoffs import signoff_deciders

    deciders = list(signoff_deciders(request=request))
    member = chooser(deciders) if chooser else deciders[0]
    signoff_decide(request=request, decided_by=member, approve=approve, comment=comment)


def _award(officer, *, budget, project, amount, purpose, recipient="") -> FundingLine:
    return budgets.budget_award_propose(
        budget=budget,
        project=project,
        amount=Decimal(amount),
        purpose=purpose,
        requested_by=officer,
        recipient_name=recipient,
    )


def _match(officer, *, project, amount, funder="", partner=None, description) -> None:
    """Match funding a project brings in: what its awards lever."""
    project_services.funding_line_create(
        project=project,
        created_by=officer,
        source=FundingLine.Source.PARTNER if partner else FundingLine.Source.EXTERNAL_MATCH,
        partner_agency=partner,
        funder_name=funder,
        amount=Decimal(amount),
        description=description,
    )


def _request_for(line: FundingLine) -> SignOffRequest:
    from .signoffs import signoff_for

    return signoff_for(subject=line.project, kind=line.signoff_kind, key=line.signoff_key)


def _budgets(context, officer, rivermouth_officer, aap) -> None:
    """Durham's budgets and awards: the area budget's awards with the match funding they
    lever, a neighbourhood budget award its own holder may not decide (another member
    refuses it), and a South Derbyshire small grant waiting for a decision."""
    found = budgets_ensure(context)
    area_budget = found["area:Northfield Central"]
    if area_budget.partnership_id is None:
        area_budget.partnership = aap
        area_budget.save(update_fields=["partnership", "updated_at"])
    school_streets = Project.objects.get(reference="NC-GOV-01")
    patrols = Project.objects.get(reference="NC-GOV-02")
    if FundingLine.objects.filter(project=school_streets).exists():
        return
    chair = context.people[f"councillor@{EMAIL_DOMAIN}"]
    police = context.agencies["Northfield Neighbourhood Policing Team"]
    approved = _award(
        officer,
        budget=area_budget,
        project=school_streets,
        amount="18500",
        purpose="Planters, signs and a trial closure at two schools",
    )
    _match(
        officer,
        project=school_streets,
        amount="20000",
        funder="Active Travel Fund",
        description="Design and monitoring of the closures",
    )
    _match(officer, project=school_streets, amount="12000", partner=police, description="Patrols")
    _decide(_request_for(approved), approve=True, comment="Good value.", chooser=lambda m: chair)
    _award(
        officer,
        budget=area_budget,
        project=patrols,
        amount="6200",
        purpose="Training and kit for crossing patrol volunteers",
    )
    _match(
        officer,
        project=patrols,
        amount="4000",
        partner=police,
        description="Volunteer vetting and briefings",
    )
    # Cllr Hughes holds this budget, so another Town Centre member decides: and refuses.
    refused = _award(
        officer,
        budget=found[f"neighbourhood:{chair.email}"],
        project=school_streets,
        amount="9000",
        purpose="Hi-vis kit for the closure marshals",
    )
    _decide(
        _request_for(refused),
        approve=False,
        comment="The marshals' kit should come from the area budget award.",
        chooser=lambda members: next(m for m in members if m.pk != chair.pk),
    )
    # A stage gate asked for as the officer asks, then dated back: overdue and escalated.
    overdue = project_services.project_gate_signoff_request(
        project=school_streets,
        requested_by=officer,
        summary="Residents have chosen the two schools and the closure times.",
        deadline=timezone.localdate(),
    )
    SignOffRequest.objects.filter(pk=overdue.pk).update(
        requested_at=_at(24, 10), deadline=_ago(3), escalated_at=timezone.now()
    )
    # Council spend over the threshold asked for, then withdrawn with its line.
    radios = project_services.funding_line_create(
        project=patrols,
        created_by=officer,
        source=FundingLine.Source.COUNCIL_SERVICE,
        amount=Decimal("6400"),
        description="Radios for crossing patrols",
    )
    project_services.funding_line_request_signoff(line=radios, requested_by=officer)
    project_services.funding_line_withdraw(line=radios, withdrawn_by=officer)
    # South Derbyshire: a small grant waiting for a decision, with its match funding.
    harbour = Project.objects.get(reference="RV-GOV-01")
    _award(
        rivermouth_officer,
        budget=found["small_grants"],
        project=harbour,
        amount="2400",
        purpose="Materials for a youth shelter built with local young people",
        recipient="Rivermouth Youth Forum",
    )
    _match(
        rivermouth_officer,
        project=harbour,
        amount="1100",
        funder="Rivermouth Town Council",
        description="Groundworks",
    )
