"""Journey 2, Durham Area Action Partnership (issue 10).

A 21-seat board (7 community, 7 elected members, 7 partner managers) whose last community
seat is filled by lottery; a forum votes priorities; board members review them and the
board adopts them at its meeting; a councillor ratifies; an inclusion report for the AAP
shows who voted against the area's census population.

The task-and-finish group's project is funded from the £120k area budget (a funding
decision a councillor signs off) with external match funding, and the Cabinet update
shows the leverage.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from engagement.inclusion.models import Report
from governance.models import (
    BoardMembership,
    Budget,
    MemberAttendance,
    Partnership,
    Priority,
    PriorityCycle,
    SeatCategory,
    SignOffRequest,
)
from governance.services.boards import board_membership_add
from governance.services.lottery import seat_application_add, seat_call_create
from governance.services.meetings import agenda_item_add, member_attendance_set
from governance.services.priorities import ballot_cast
from projects.models import FundingLine
from tests.accounts.factories import (
    BoardMemberFactory,
    ElectedMemberFactory,
    OfficerFactory,
    PartnerUserFactory,
    ResidentFactory,
)
from tests.browser import DESKTOP, PHONE
from tests.engagement.factories import ParticipantFactory
from tests.engagement.inclusion.factories import person_with
from tests.governance.factories import (
    BoardFactory,
    BudgetFactory,
    MeetingFactory,
    PartnershipFactory,
    PriorityCycleFactory,
    PriorityFactory,
)
from tests.journeys.places import place_build
from tests.journeys.steps import choose, look
from tests.projects.factories import ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

PRIORITIES = [
    "Activities for young people in the holidays",
    "Tackling loneliness among older residents",
    "Safer walking routes to school",
    "Support for the food bank",
]


@pytest.fixture
def durham(db):
    place = place_build(
        council="Durham County Council",
        area="Mid Durham",
        area_label="Area Action Partnership",
        wards={"Deerness": "DH7 7AA", "Esh and Witton Gilbert": "DH7 6BB"},
    )
    officer = OfficerFactory(full_name="Andrew Wilson", areas=[place.area])
    councillor = ElectedMemberFactory(full_name="Cllr Anne Bell", areas=[place.ward])
    member = BoardMemberFactory(full_name="Carol Hindmarsh", areas=[place.area])
    partner = PartnerUserFactory(full_name="Inspector Lee Dodds", areas=[place.area])
    aap = PartnershipFactory(
        name="Mid Durham Area Action Partnership",
        kind=Partnership.Kind.AREA_ACTION_PARTNERSHIP,
        area=place.area,
        agencies=[partner.partner_agency],
    )
    board = BoardFactory(partnership=aap, created_by=officer)  # 7/7/7, quorum 6
    start = timezone.localdate() - timedelta(days=200)

    def seat(kind, **person):
        board_membership_add(board=board, kind=kind, term_start=start, added_by=officer, **person)

    seat(
        SeatCategory.Kind.COMMUNITY,
        participant=ParticipantFactory(
            user=member, email=member.email, full_name=member.full_name, home_ward=place.ward
        ),
    )
    for _ in range(5):
        seat(SeatCategory.Kind.COMMUNITY, participant=ParticipantFactory(home_ward=place.ward))
    seat(SeatCategory.Kind.ELECTED_MEMBER, user=councillor)
    for _ in range(6):
        seat(SeatCategory.Kind.ELECTED_MEMBER, user=ElectedMemberFactory(areas=[place.ward]))
    seat(SeatCategory.Kind.PARTNER, user=partner)
    for _ in range(6):
        seat(SeatCategory.Kind.PARTNER, user=PartnerUserFactory(areas=[place.area]))
    # An open call for the seventh community seat, with three households applying.
    call = seat_call_create(
        board=board,
        title="A community member for Mid Durham",
        seats=1,
        opens_on=timezone.localdate() - timedelta(days=30),
        closes_on=timezone.localdate() + timedelta(days=1),
        created_by=officer,
    )
    for n, name in enumerate(["Joan Pattison", "Ravi Sharma", "Kelly Armstrong"]):
        seat_application_add(
            call=call,
            participant=ParticipantFactory(full_name=name, home_ward=place.ward),
            address_line=f"{n + 1} Front Street",
            postcode="DH7 7AA",
            added_by=officer,
        )
    # The forum's cycle, voting: fourteen residents have voted, all of them older and white
    # British; the area is not.
    cycle = PriorityCycleFactory(
        partnership=aap,
        title="Mid Durham priorities 2027",
        created_by=officer,
        needs_ratification=True,
        status=PriorityCycle.Status.VOTING,
    )
    priorities = [PriorityFactory(cycle=cycle, title=title) for title in PRIORITIES]
    today = timezone.localdate()
    for i in range(14):
        voter = person_with(
            ward=place.ward,
            actions=0,
            year_of_birth=1945 + i,
            sex="female" if i % 2 else "male",
            ethnic_group="white_british",
        )
        ballot_cast(
            cycle=cycle,
            participant=voter,
            choices=dict.fromkeys([p.pk for p in priorities[: 2 + i % 2]], 1),
            channel="paper",
            cast_by=officer,
        )
    BudgetFactory(
        name="Mid Durham area budget",
        kind=Budget.Kind.AREA_BUDGET,
        amount=Decimal("120000.00"),
        area=place.area,
        partnership=aap,
    )
    project = ProjectFactory(
        title="Holiday activities in Deerness",
        areas=[place.ward],
        lead_officer=officer,
        partner_agencies=[partner.partner_agency],
    )
    resident = ResidentFactory(full_name="Sana Malik", areas=[place.ward])
    ParticipantFactory(
        user=resident, email=resident.email, full_name=resident.full_name, home_ward=place.ward
    )
    return {
        "place": place,
        "officer": officer,
        "councillor": councillor,
        "member": member,
        "board": board,
        "call": call,
        "cycle": cycle,
        "resident": resident,
        "today": today,
        "project": project,
    }


def test_durham_area_action_partnership(new_page, durham, celery_worker):
    officer, board, call, cycle = (
        durham["officer"],
        durham["board"],
        durham["call"],
        durham["cycle"],
    )
    desk = new_page(user=officer, viewport=DESKTOP)

    # 1. The last community seat is filled by lottery, drawn on the worker.
    desk.goto(reverse("governance:partnership_detail", args=[board.partnership_id]))
    look(desk, "durham-partnership")
    desk.goto(reverse("governance:call_detail", args=[call.pk]))
    look(desk, "durham-seat-call")
    desk.get_by_role("link", name="Draw the panel by lottery").click()
    desk.get_by_label("Seed (optional)").fill("20261123")
    look(desk, "durham-draw")
    desk.get_by_role("button", name="Draw the panel").click()
    expect(desk.get_by_role("heading", name="Finished")).to_be_visible(timeout=90_000)
    look(desk, "durham-draw-job")
    desk.get_by_role("link", name="Continue").click()
    desk.get_by_label("Terms start").fill(durham["today"].isoformat())
    look(desk, "durham-draw-result", guide="officer-lottery")
    desk.get_by_role("button", name="Give them their seats").click()
    expect(desk.get_by_text("The panel now holds its community seats.")).to_be_visible()
    current = BoardMembership.objects.filter(board=board, status=BoardMembership.Status.CURRENT)
    assert current.count() == 21
    assert current.filter(route=BoardMembership.Route.LOTTERY).count() == 1

    # 2. A resident votes on the forum's priorities on her phone.
    phone = new_page(user=durham["resident"], viewport=PHONE)
    phone.goto("/")
    phone.get_by_role("link", name="1 local priority vote you can take part in").click()
    phone.get_by_role("link", name=re.compile("Vote")).first.click()
    phone.get_by_label("Activities for young people in the holidays").check()
    phone.get_by_label("Safer walking routes to school").check()
    look(phone, "durham-vote", phone=True)
    phone.get_by_role("button", name="Cast my vote").click()
    expect(phone.get_by_text("Thank you: your vote has been counted.")).to_be_visible()

    # 3. The officer closes the vote: the forum's result goes to the board.
    desk.goto(reverse("governance:cycle_detail", args=[cycle.pk]))
    desk.get_by_role("button", name="Close voting and record the forum's result").click()
    look(desk, "durham-cycle-board-review")

    # 4. A board member reviews the priorities.
    board_page = new_page(user=durham["member"], viewport=DESKTOP)
    board_page.goto("/")
    look(board_page, "durham-board-member-home", guide="board-member-home")
    board_page.get_by_role("link", name="4 priorities to review").click()
    look(board_page, "durham-board-member-board", guide="board-member-board")
    board_page.get_by_role("link", name=re.compile("Fill in your review")).click()
    for n, title in enumerate(PRIORITIES):
        score = board_page.get_by_role("group", name=f"Score for “{title}”")
        score.locator(f"input[type='radio'][value='{5 - n}']").check()
    board_page.get_by_label(f"Comment on “{PRIORITIES[0]}”").fill(
        "Holiday hunger and boredom came up at every forum table."
    )
    look(board_page, "durham-board-review", guide="board-member-review")
    board_page.get_by_role("button", name="Save my review").click()
    board_page.goto("/")
    expect(board_page.get_by_role("link", name=re.compile("priorities to review"))).to_have_count(
        0
    )

    # 5. The board adopts the top priority at its meeting (quorate: 12 present).
    meeting = MeetingFactory(
        partnership=board.partnership, title="Mid Durham AAP board", created_by=officer
    )
    item = agenda_item_add(meeting=meeting, title="The forum's priorities", added_by=officer)
    present = list(current.order_by("pk")[:12])
    member_attendance_set(
        meeting=meeting,
        statuses={m.pk: MemberAttendance.Status.PRESENT for m in present},
        recorded_by=officer,
    )
    desk.goto(reverse("governance:decision_record", args=[item.pk]))
    desk.get_by_label("Motion").fill(
        "That the board adopts holiday activities for young people as a priority for 2027."
    )
    desk.get_by_label("Proposer").select_option(index=1)
    desk.get_by_label("Seconder").select_option(index=2)
    desk.get_by_label("Priority this decides (if any)").select_option(label=PRIORITIES[0])
    desk.get_by_label("If carried").select_option("adopt")
    for vote in desk.locator("select[name^='vote_']").all():
        vote.select_option("for")
    look(desk, "durham-decision", guide="board-member-decision")
    desk.get_by_role("button", name="Record the decision").click()
    adopted = Priority.objects.get(title=PRIORITIES[0])
    assert adopted.status == Priority.Status.ADOPTED

    # 6. A councillor ratifies the adoption.
    cllr = new_page(user=durham["councillor"], viewport=DESKTOP)
    cllr.goto("/")
    look(cllr, "durham-councillor-home", guide="councillor-home")
    cllr.get_by_role("link", name="1 sign-off waiting for your decision").click()
    look(cllr, "durham-councillor-page", guide="councillor-signoffs")
    cllr.get_by_role("link", name="Board decision to ratify").click()
    cllr.get_by_label("Approve").check()
    cllr.get_by_label("Comment").fill("Agreed: in line with the ward plan.")
    look(cllr, "durham-councillor-decide", guide="councillor-decide")
    cllr.get_by_role("button", name="Record my decision").click()
    cllr.wait_for_url("**/councillor/")
    ratification = SignOffRequest.objects.get(kind=SignOffRequest.Kind.RATIFICATION)
    assert ratification.status == SignOffRequest.Status.APPROVED

    # 7. The task-and-finish group's project: £12,000 of external match funding ...
    project = durham["project"]
    desk.goto(reverse("projects:detail", args=[project.pk]))
    desk.get_by_role("tab", name="Funding").click()
    desk.get_by_role("link", name="Add funding").click()
    desk.get_by_label("External match funding").check()
    desk.get_by_label("Amount").fill("£12,000")
    desk.get_by_label("Funder's name (for match funding, or a partner not listed)").fill(
        "County Durham Community Foundation"
    )
    desk.get_by_label("What it pays for").fill("Sports coaches and trips")
    look(desk, "durham-match-funding")
    desk.get_by_role("button", name="Add the funding").click()
    # ... and £8,000 from the £120k area budget, proposed from the partnership's page.
    desk.goto(reverse("governance:partnership_detail", args=[board.partnership_id]))
    desk.get_by_role("link", name="Propose an award").click()
    choose(desk.get_by_label("Budget"), "Mid Durham area budget")
    choose(desk.get_by_label("Project"), "Holiday activities")
    desk.get_by_label("Amount (£)").fill("8000")
    desk.get_by_label("What it pays for").fill("Holiday club sessions for 120 children")
    look(desk, "durham-award", guide="officer-award")
    desk.get_by_role("button", name="Ask for sign-off").click()
    award = FundingLine.objects.get(project=project, source=FundingLine.Source.AREA_BUDGET)
    assert award.status == FundingLine.Status.AWAITING_SIGNOFF

    # 8. The councillor signs the funding decision off.
    cllr.goto("/")
    cllr.get_by_role("link", name="1 sign-off waiting for your decision").click()
    cllr.get_by_role("link", name="Funding decision").click()
    cllr.get_by_label("Approve").check()
    look(cllr, "durham-councillor-funding")
    cllr.get_by_role("button", name="Record my decision").click()
    cllr.wait_for_url("**/councillor/")
    award.refresh_from_db()
    assert award.status == FundingLine.Status.COMMITTED

    # 9. The Cabinet update shows the leverage: £12,000 levered on £8,000, £1.50 per £1.
    desk.goto(reverse("governance:cabinet_update", args=[board.partnership_id]))
    expect(desk.locator("main")).to_contain_text("£1.50 for every £1")
    look(desk, "durham-cabinet-update", guide="councillor-cabinet-update")

    # 10. The inclusion report for the AAP's cycle, worked out on the worker, shows who
    # voted against the area's census population.
    desk.goto(reverse("inclusion:report_request"))
    desk.get_by_label("What is the report about?").select_option(f"cycle:{cycle.pk}")
    month = timezone.localdate().strftime("%Y-%m")
    desk.get_by_label("From (month)").select_option(month)
    desk.get_by_label("To (month)").select_option(month)
    look(desk, "durham-inclusion-request", guide="officer-inclusion-request")
    desk.get_by_role("button", name="Request the report").click()
    desk.wait_for_selector("h2#who-is-missing", timeout=90_000)
    assert Report.objects.filter(requested_by=officer).count() == 1
    main = desk.locator("main")
    expect(main).to_contain_text("Ethnic group")
    expect(main).to_contain_text("Age: participants against residents")
    expect(main).to_contain_text("75 and over")
    look(desk, "durham-inclusion-report", guide="board-member-inclusion-report")
