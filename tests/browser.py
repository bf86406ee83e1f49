"""Playwright driving Debian's Chromium against a live server, and an axe-core check.

Never `playwright install`: the browser is /usr/bin/chromium from Debian's package.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.services import service_missing

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        service_missing(f"No Chromium at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make beside it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages at a viewport size, optionally signed in as a user."""
    contexts = []

    def open_page(*, user=None, viewport=DESKTOP):
        # bypass_csp lets axe's script in; the pages themselves keep their policy.
        context = browser.new_context(base_url=live_server.url, viewport=viewport, bypass_csp=True)
        contexts.append(context)
        if user is not None:
            from django.test import Client

            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def axe_violations(page) -> list[dict]:
    from playwright.sync_api import Error as PlaywrightError

    # A check right after a click may meet the page mid-navigation (no document to add
    # the script to, or the context destroyed under it): wait for the new page, again.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(path=str(AXE_SCRIPT))
            results = page.evaluate(
                "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                WCAG_22_AA,
            )
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(250)
    return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]


def assert_accessible(page) -> None:
    """Fail on any serious or critical WCAG 2.2 AA violation axe-core finds."""
    violations = axe_violations(page)
    summary = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in violations
    ]
    assert not violations, f"{page.url}: " + json.dumps(summary, indent=2)


def assert_error_page(page) -> None:
    """The page a refused form answers with: its title starts "Error: " (as GOV.UK asks),
    waited for, since the answer may still be loading when the click returns."""
    from playwright.sync_api import expect

    expect(page).to_have_title(re.compile(r"^Error: "))


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
