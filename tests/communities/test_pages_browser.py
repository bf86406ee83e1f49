"""Every communities page in Chromium: axe-core finds no serious or critical WCAG 2.2 AA
violation; the map works by keyboard; public pages fit a 320 px screen."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from communities import census
from communities.services import census_import
from tests.browser import PHONE, assert_accessible, assert_error_page, save_screenshot
from tests.communities import onsfiles
from tests.communities.factories import (
    AssetFactory,
    CapacityAssessmentFactory,
    DeprivationScoreFactory,
    LsoaFactory,
    OrganisationAssetFactory,
    SpendRecordFactory,
    SuggestedAssetFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def populated(officer, aap, ward, community):
    """A ward with census tables, deprivation, spend, capacity and assets."""
    lsoas = [LsoaFactory(parent=ward, gss_code=f"E0109900{n}") for n in (1, 2)]
    for table in ("TS008", "TS021", "TS007", "TS038"):
        leaves = {c.code: 7 + i % 5 for i, c in enumerate(census.table_leaves(table))}
        text = onsfiles.census_wide(table, {lsoa.gss_code: (lsoa.name, leaves) for lsoa in lsoas})
        census_import(file=io.BytesIO(text.encode()), name=f"{table}.csv")
    DeprivationScoreFactory(lsoa=lsoas[0], rank=900, decile=1)
    DeprivationScoreFactory(lsoa=lsoas[1], rank=21000, decile=7)
    SpendRecordFactory(area=ward, amount=Decimal("54000"))
    CapacityAssessmentFactory(area=ward, confidence=2, volunteers=20)
    CapacityAssessmentFactory(area=ward, confidence=3, volunteers=31)
    group = OrganisationAssetFactory(
        name="Friends of Abbey Park", area=ward, communities=[community]
    )
    AssetFactory(
        name="Abbey Park",
        area=ward,
        category="park",
        run_by=group,
        latitude=Decimal("54.5620"),
        longitude=Decimal("-1.3110"),
        address="Abbey Road",
        postcode="NF1 2AB",
    )
    AssetFactory(
        name="Eastgate Community Centre",
        area=ward,
        latitude=Decimal("54.5650"),
        longitude=Decimal("-1.2800"),
    )
    SuggestedAssetFactory(name="Old Station Youth Club", area=ward)
    return {"ward": ward, "asset": group}


def officer_pages(data, aap, community):
    ward, asset = data["ward"], data["asset"]
    return [
        ("area-list", reverse("communities:area_list")),
        ("area-detail-ward", reverse("communities:area_detail", args=[ward.pk])),
        ("area-detail-aap", reverse("communities:area_detail", args=[aap.pk])),
        ("area-edit", reverse("communities:area_edit", args=[aap.pk])),
        ("area-capacity", reverse("communities:area_capacity_create", args=[ward.pk])),
        ("community-list", reverse("communities:community_list")),
        ("community-detail", reverse("communities:community_detail", args=[community.pk])),
        (
            "community-capacity",
            reverse("communities:community_capacity_create", args=[community.pk]),
        ),
        ("asset-list", reverse("communities:asset_list")),
        ("asset-list-suggested", reverse("communities:asset_list") + "?show=suggested"),
        ("asset-create", reverse("communities:asset_create")),
        ("asset-detail", reverse("communities:asset_detail", args=[asset.pk])),
        ("asset-edit", reverse("communities:asset_edit", args=[asset.pk])),
        ("import", reverse("communities:import")),
    ]


def test_officer_pages_are_accessible(new_page, officer, populated, aap, community, administrator):
    # given
    page = new_page(user=officer)
    for name, url in officer_pages(populated, aap, community):
        # when
        response = page.goto(url)
        # then
        assert response.status == 200, name
        save_screenshot(page, f"communities-{name}")
        assert_accessible(page)


def test_area_create_is_accessible_for_an_administrator(new_page, administrator, populated):
    page = new_page(user=administrator)
    page.goto(reverse("communities:area_create"))
    save_screenshot(page, "communities-area-create")
    assert_accessible(page)


def test_form_errors_are_summarised_and_accessible(new_page, officer, populated):
    # given
    page = new_page(user=officer)
    page.goto(reverse("communities:area_capacity_create", args=[populated["ward"].pk]))
    # when
    page.get_by_role("button", name="Record assessment").click()
    # then
    assert_error_page(page)
    assert page.locator(".govuk-error-summary").is_visible()
    save_screenshot(page, "communities-capacity-errors")
    assert_accessible(page)


def test_the_map_shows_markers_a_keyboard_can_reach_and_the_list_holds_them(new_page, populated):
    # given
    page = new_page()
    # when
    page.goto(reverse("communities:asset_map"))
    page.wait_for_selector('[data-module="app-asset-map"][data-ready="true"]')
    # then: every mapped asset is a marker (or in a cluster) and in the list
    mapped = int(page.locator('[data-module="app-asset-map"]').get_attribute("data-markers"))
    assert mapped == 3
    assert page.locator(".app-asset-list__item").count() == 3
    # a keyboard reaches a marker or cluster and opens it with Enter
    marker = page.locator(".leaflet-marker-icon").first
    marker.focus()
    assert page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    opened = page.locator(".leaflet-popup").count() + page.locator(".leaflet-marker-icon").count()
    assert opened >= 2
    save_screenshot(page, "communities-asset-map")
    assert_accessible(page)


def test_the_map_popup_leads_to_the_place_in_the_list(new_page, populated):
    page = new_page()
    page.goto(reverse("communities:asset_map") + "?category=park")
    page.wait_for_selector('[data-module="app-asset-map"][data-ready="true"]')
    page.locator(".leaflet-marker-icon").first.focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Details in the list").click()
    assert page.evaluate("document.activeElement.id").startswith("asset-")
    assert_accessible(page)


@pytest.mark.parametrize(
    "name",
    ["communities:asset_map", "communities:asset_suggest", "communities:asset_suggest_done"],
)
def test_public_pages_fit_a_320px_phone_and_are_accessible(new_page, populated, name):
    # given
    page = new_page(viewport=PHONE)
    # when
    page.goto(reverse(name))
    if name == "communities:asset_map":
        page.wait_for_selector('[data-module="app-asset-map"][data-ready="true"]')
    # then
    save_screenshot(page, f"communities-public-{name.split(':')[1]}-phone")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page)


def test_a_resident_suggests_a_place_by_keyboard_on_a_phone(new_page, resident, populated):
    # given
    page = new_page(user=resident, viewport=PHONE)
    page.goto(reverse("communities:asset_suggest"))
    # when: errors first, then a good suggestion
    page.get_by_role("button", name="Send suggestion").press("Enter")
    assert_error_page(page)
    save_screenshot(page, "communities-suggest-errors-phone")
    assert_accessible(page)
    page.get_by_label("A place").check()
    page.get_by_label("What kind of place or group is it?").select_option("allotment")
    page.get_by_label("Its name").fill("Millbrook Allotments")
    page.get_by_label("Which ward is it in?").select_option(label=populated["ward"].name)
    page.get_by_label("Postcode (optional)").fill("nf1 2ab")
    page.get_by_role("button", name="Send suggestion").press("Enter")
    # then
    page.wait_for_url("**/thank-you/")
    assert page.locator("h1").inner_text() == "Suggestion sent"
