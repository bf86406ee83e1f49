"""Every governance page in Chromium: axe-core (WCAG 2.2 AA), a screenshot, and the
public and residents' pages at 320 px and by keyboard."""

import pytest
from django.urls import reverse

from governance.models import BoardMembership, MemberAttendance
from governance.services.meetings import member_attendance_set
from tests.browser import PHONE, assert_accessible, assert_error_page, save_screenshot
from tests.governance.url_matrix import PAGES
from tests.permissions import OK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_PREFERENCE = ["officer", "board_member", "elected_member", "resident", "administrator"]


def page_cases():
    for name, (kwargs, outcomes) in PAGES.items():
        role = next((r for r in ROLE_PREFERENCE if outcomes.get(r) == OK), None)
        if role is None and outcomes.get(None) != OK:
            continue  # POST-only endpoints
        if name in {"governance:cabinet_update_pdf", "governance:agenda_paper"}:
            continue  # downloads, checked in test_views
        yield name, kwargs, role


CASES = list(page_cases())


@pytest.mark.parametrize(("name", "kwargs", "role"), CASES, ids=[c[0] for c in CASES])
def test_page_is_accessible(new_page, request, user_for_role, name, kwargs, role):
    # given
    if callable(kwargs):
        kwargs = kwargs(request.getfixturevalue)
    page = new_page(user=user_for_role(role))
    # when
    response = page.goto(reverse(name, kwargs=kwargs))
    # then
    assert response.status == 200
    save_screenshot(page, name.replace(":", "-"))
    assert_accessible(page)


@pytest.mark.parametrize(
    ("name", "fixture", "role"),
    [
        ("governance:minutes_list", None, None),
        ("governance:minutes_public", "published_meeting", None),
        ("governance:cycle_open_list", None, "resident"),
        ("governance:cycle_vote", "voting_cycle", "resident"),
        ("governance:priority_propose", "proposing_cycle", "resident"),
    ],
)
def test_public_and_resident_pages_fit_a_phone(
    new_page, request, user_for_role, name, fixture, role
):
    # given
    args = [request.getfixturevalue(fixture).pk] if fixture else []
    page = new_page(user=user_for_role(role), viewport=PHONE)
    # when
    page.goto(reverse(name, args=args))
    # then
    save_screenshot(page, f"{name.replace(':', '-')}-phone")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page)


def test_the_cabinet_update_fits_a_phone(new_page, officer, aap):
    """A councillor reading the update on a phone: a priority's long title scrolls in the
    table's own region, not the whole page."""
    # given
    from django.utils import timezone

    from tests.governance.factories import (
        PartnershipFactory,
        PriorityCycleFactory,
        PriorityFactory,
    )

    partnership = PartnershipFactory(name="Rivermouth Safer Neighbourhood partnership", area=aap)
    cycle = PriorityCycleFactory(
        partnership=partnership,
        title="Priorities for the next three months",
        period_start=timezone.localdate(),
        created_by=officer,
    )
    PriorityFactory(cycle=cycle, title="Anti-social behaviour at the harbour car park")
    page = new_page(user=officer, viewport=PHONE)
    # when
    page.goto(reverse("governance:cabinet_update", args=[partnership.pk]))
    # then
    assert page.get_by_text("Anti-social behaviour at the harbour car park").count() == 1
    save_screenshot(page, "governance-cabinet-update-phone")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page)


def test_resident_votes_by_keyboard(new_page, resident, voting_cycle):
    # given
    page = new_page(user=resident, viewport=PHONE)
    page.goto(reverse("governance:cycle_vote", args=[voting_cycle.pk]))
    first = voting_cycle.priorities.order_by("title").first()
    # when: tab to the first tick box, tick it with the space bar, submit with Enter
    checkbox = page.get_by_label(first.title)
    for _ in range(40):
        page.keyboard.press("Tab")
        if checkbox.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Space")
    page.get_by_role("button", name="Cast my vote").focus()
    page.keyboard.press("Enter")
    # then
    page.wait_for_url("**/have-your-say/")
    assert "your vote has been counted" in page.content()
    assert voting_cycle.ballots.count() == 1


def test_published_minutes_reachable_by_keyboard(new_page, published_meeting):
    # given
    page = new_page(viewport=PHONE)
    page.goto(reverse("governance:minutes_list"))
    link = page.get_by_role("link", name=published_meeting.event.title)
    # when
    for _ in range(30):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Enter")
    # then
    page.wait_for_url(f"**/minutes/{published_meeting.pk}/")
    assert page.locator("h1").inner_text().startswith("Minutes:")


def test_decision_form_with_errors_is_accessible(
    new_page, officer, board, board_meeting, agenda_item
):
    # given: members present, but not enough for the quorum of 6
    member_attendance_set(
        meeting=board_meeting,
        statuses={
            m.pk: MemberAttendance.Status.PRESENT
            for m in BoardMembership.objects.filter(board=board, status="current")
        },
        recorded_by=officer,
    )
    page = new_page(user=officer)
    page.goto(reverse("governance:decision_record", args=[agenda_item.pk]))
    # when
    page.get_by_role("button", name="Record the decision").click()
    # then
    assert_error_page(page)
    assert page.locator(".govuk-error-summary").is_visible()
    save_screenshot(page, "governance-decision-errors")
    assert_accessible(page)


def test_councillor_decides_in_the_browser(new_page, elected_member, signoff):
    # given
    page = new_page(user=elected_member)
    page.goto(reverse("governance:councillor"))
    page.get_by_role("link", name="Board decision to ratify").click()
    # when: a rejection without a reason is refused, then given one
    page.get_by_label("Reject").check()
    page.get_by_role("button", name="Record my decision").click()
    assert "Say why you are rejecting" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Comment").fill("Not in the ward plan.")
    page.get_by_role("button", name="Record my decision").click()
    # then
    page.wait_for_url("**/councillor/")
    signoff.refresh_from_db()
    assert signoff.status == "rejected"
    save_screenshot(page, "governance-councillor-after-decision")


DEMO_PAGES = [
    ("board@northfield.example.gov.uk", "governance:board_member", None),
    ("councillor@northfield.example.gov.uk", "governance:councillor", None),
    ("officer@northfield.example.gov.uk", "governance:partnership_detail", "aap"),
    ("officer@northfield.example.gov.uk", "governance:cycle_detail", "cycle"),
    ("officer@northfield.example.gov.uk", "governance:meeting_detail", "meeting"),
    ("officer@northfield.example.gov.uk", "governance:cabinet_update", "aap"),
    ("officer@northfield.example.gov.uk", "governance:draw_detail", "draw"),
    ("admin@northfield.example.gov.uk", "governance:audit_list", None),
]


def test_demo_pages_are_accessible(new_page):
    """The pages as the demo council's people see them, full of realistic data. The demo
    is built once and every page checked in turn (each person's own browser page)."""
    from django.core.management import call_command

    from coproduction.accounts.models import User
    from governance.models import LotteryDraw, Meeting, Partnership, PriorityCycle

    # given
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    aap = Partnership.objects.get(name="Northfield Central Area Action Partnership")
    objects = {
        "aap": aap,
        "cycle": PriorityCycle.objects.filter(partnership=aap).order_by("pk").first(),
        "meeting": Meeting.objects.filter(partnership=aap, kind="board").first(),
        "draw": LotteryDraw.objects.first(),
    }
    pages = {}
    for email, name, args_from in DEMO_PAGES:
        if email not in pages:
            pages[email] = new_page(user=User.objects.get(email=email))
        page = pages[email]
        args = [objects[args_from].pk] if args_from else []
        # when
        response = page.goto(reverse(name, args=args))
        # then
        assert response.status == 200, name
        save_screenshot(page, f"demo-{name.replace(':', '-')}")
        assert_accessible(page)
