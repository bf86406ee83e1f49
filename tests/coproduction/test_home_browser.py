"""The home pages in Chromium with something waiting for each person: axe-core (WCAG 2.2
AA), a screenshot, and the visitors' page at 320 px by keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from engagement.models import StreetChampion
from tests.accounts.factories import ElectedMemberFactory, UserFactory
from tests.browser import PHONE, assert_accessible, save_screenshot
from tests.engagement.factories import StreetChampionFactory
from tests.governance.factories import PartnershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_visitor_reaches_report_a_problem_by_keyboard_at_320px(new_page):
    # given
    page = new_page(viewport=PHONE)
    page.goto(reverse("home"))
    assert_accessible(page)
    assert fits_the_screen(page)
    save_screenshot(page, "home-landing-phone")
    link = page.get_by_role("link", name="Report a problem")
    # when: tab to the link and follow it
    for _ in range(30):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Enter")
    # then
    page.wait_for_url(f"**{reverse('engagement:report_start')}")


@pytest.mark.parametrize("role", ["officer", "partner_user", "administrator"])
def test_home_with_next_actions_fits_a_phone(new_page, user_for_role, role, ward, aap):
    # given
    StreetChampionFactory(
        participant__home_ward=ward, status=StreetChampion.Status.AWAITING_APPROVAL
    )
    UserFactory(full_name="New Starter")
    user = user_for_role(role)
    if role == "partner_user":
        PartnershipFactory(area=aap, agencies=[user.partner_agency])
    page = new_page(user=user, viewport=PHONE)
    # when
    page.goto(reverse("home"))
    # then
    expect(page.locator(".app-next-actions a").first).to_be_visible()
    assert_accessible(page)
    assert fits_the_screen(page)
    save_screenshot(page, f"home-{role}-actions-phone")


def test_resident_home_with_long_councillor_emails_fits_a_phone(new_page, resident, ward):
    # given councillors whose council email addresses are long
    for n in (1, 2):
        ElectedMemberFactory(
            full_name=f"Cllr Ward Member {n}",
            email=f"cllr.town-centre.{n}@northfield.example.gov.uk",
            areas=[ward],
        )
    page = new_page(user=resident, viewport={"width": 390, "height": 844})
    # when
    page.goto(reverse("home"))
    # then the table scrolls in its own region, not the whole page
    assert fits_the_screen(page)
    expect(page.get_by_role("region", name="Your councillors")).to_be_visible()
    assert_accessible(page)
