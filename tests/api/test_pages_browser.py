"""The partner API's pages in Chromium: the administrators' client pages and the
reference for partners' developers, checked with axe-core and kept as screenshots."""

import pytest
from django.urls import reverse

from coproduction.api.models import ApiClient
from tests.browser import DESKTOP, PHONE, assert_accessible, assert_error_page, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_administrator_adds_a_client_in_the_browser(new_page, administrator, police, fire):
    # given
    page = new_page(user=administrator)
    page.goto(reverse("api_clients:list"))
    save_screenshot(page, "api-clients-empty")
    assert_accessible(page)
    # when
    page.get_by_role("button", name="Add an API client").click()
    page.get_by_role("button", name="Add client").click()
    # then: errors summarised, title prefixed
    assert_error_page(page)
    assert page.locator(".govuk-error-summary").is_visible()
    save_screenshot(page, "api-client-create-errors")
    assert_accessible(page)
    # when
    page.get_by_label("Partner agency").select_option(label=police.name)
    page.get_by_label("areas:read", exact=False).check()
    page.get_by_role("button", name="Add client").click()
    # then
    page.wait_for_url("**/api-clients/*/")
    secret = page.locator("#client-secret").inner_text()
    assert len(secret) >= 40
    save_screenshot(page, "api-client-created-secret")
    assert_accessible(page)
    page.reload()
    assert page.locator("#client-secret").count() == 0
    assert ApiClient.objects.get().agency == police


def test_client_pages_are_accessible(new_page, administrator, police_client):
    # given
    page = new_page(user=administrator)
    pk = police_client.pk
    for name in ["detail", "scopes", "tokens_revoke", "secret_reset", "revoke"]:
        # when
        page.goto(reverse(f"api_clients:{name}", kwargs={"pk": pk}))
        # then
        save_screenshot(page, f"api-client-{name}")
        assert_accessible(page)


def test_client_pages_fit_a_phone(new_page, administrator, police_client):
    # given
    page = new_page(user=administrator, viewport=PHONE)
    for url in [
        reverse("api_clients:list"),
        reverse("api_clients:detail", kwargs={"pk": police_client.pk}),
        reverse("api_clients:create"),
    ]:
        # when
        page.goto(url)
        # then
        assert no_horizontal_scroll(page), url
    save_screenshot(page, "api-client-create-phone")


def test_revoke_through_the_confirmation_page(new_page, administrator, police_client):
    # given
    page = new_page(user=administrator)
    page.goto(reverse("api_clients:detail", kwargs={"pk": police_client.pk}))
    # when
    page.get_by_role("button", name="Revoke client").click()
    page.get_by_role("button", name="Revoke client").click()
    # then
    page.get_by_text("Client revoked.").wait_for()
    police_client.refresh_from_db()
    assert not police_client.is_active
    save_screenshot(page, "api-client-revoked")
    assert_accessible(page)


@pytest.mark.parametrize(("viewport", "label"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_api_reference_is_accessible(new_page, viewport, label):
    # given
    page = new_page(viewport=viewport)
    # when
    page.goto(reverse("api:docs"))
    page.locator(".opblock").first.wait_for()
    # then
    save_screenshot(page, f"api-docs-{label}")
    assert_accessible(page)
    if viewport is PHONE:
        assert no_horizontal_scroll(page)


def test_api_reference_renders_under_the_content_security_policy(browser, live_server):
    # given: a page that keeps the site's policy (no bypass, unlike new_page)
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        # when
        response = page.goto(reverse("api:docs"))
        page.locator(".opblock").first.wait_for(timeout=15_000)
        # then
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
        assert page.locator(".opblock-summary-path", has_text="/api/v1/areas/").count() >= 1
        assert violations == []
    finally:
        context.close()


def test_api_reference_is_usable_by_keyboard(new_page):
    # given
    page = new_page()
    page.goto(reverse("api:docs"))
    page.locator(".opblock").first.wait_for()
    # when: tab to the first operation and open it with Enter
    summary = page.locator(".opblock-summary-control").first
    summary.focus()
    page.keyboard.press("Enter")
    # then
    page.locator(".opblock-body").first.wait_for()
    assert summary.get_attribute("aria-expanded") == "true"
