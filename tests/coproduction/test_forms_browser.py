"""A form of each app in Chromium: its number, date and URL inputs are styled as GOV.UK
inputs (a solid border, not the browser's own inset one), with no app styling them
itself, and the page is accessible."""

import pytest
from django.urls import reverse

from tests.browser import assert_accessible, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def styled(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(
        """(input) => ({
            classes: [...input.classList],
            border: getComputedStyle(input).borderTopStyle,
        })"""
    )


def test_a_form_of_each_app_has_govuk_inputs(new_page, officer, partnership, project):
    cases = [
        (
            "governance",
            reverse("governance:cycle_create", args=[partnership.pk]),
            ["input[name=period_start]", "input[name=votes_per_person]"],
        ),
        (
            "communities",
            reverse("communities:asset_create"),
            ["input[name=website]", "input[name=capacity]"],
        ),
        ("engagement", reverse("inclusion:report_request"), ["input[name=minimum_age]"]),
        ("projects", reverse("projects:funding_add", args=[project.pk]), ["input[name=amount]"]),
    ]
    page = new_page(user=officer)
    for app, url, selectors in cases:
        assert page.goto(url).status == 200, app
        for selector in selectors:
            seen = styled(page, selector)
            assert "govuk-input" in seen["classes"], (app, selector, seen)
            assert seen["border"] == "solid", (app, selector, seen)
        save_screenshot(page, f"forms-govuk-inputs-{app}")
        assert_accessible(page)
    # An answer with an error is marked red.
    page.goto(reverse("governance:cycle_create", args=[partnership.pk]))
    page.fill("input[name=votes_per_person]", "")
    page.get_by_role("button", name="Start the cycle").click()
    page.wait_for_selector(".govuk-error-summary")
    assert "govuk-input--error" in styled(page, "input[name=votes_per_person]")["classes"]
    save_screenshot(page, "forms-govuk-inputs-governance-errors")
    assert_accessible(page)
