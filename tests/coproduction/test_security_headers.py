"""Security headers and the content security policy (docs/security.md).

Every named URL is walked for every role by test_permissions.py, which checks the headers
of each response (tests/coproduction/security_headers.py). Here: API calls with a
partner's token, HSTS in production, templates free of inline script and style, and the
pages that run scripts (maps, the API reference, job progress) in Chromium with the
policy enforced.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from coproduction.jobs.models import Job
from tests.api.url_matrix import PAGES as API_PAGES
from tests.coproduction.security_headers import assert_security_headers, csp_directives

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"]
# Rendered into PDF by WeasyPrint, never served as a page: its <style> never meets a
# browser.
PDF_TEMPLATES = {"governance/cabinet_update_pdf.html"}

API_GET_ROUTES = sorted(name for name in API_PAGES if name.startswith("api:"))


def templates() -> list[tuple[str, str]]:
    found = []
    for base in TEMPLATE_DIRS:
        for path in sorted(base.rglob("*.html")):
            name = path.relative_to(base).as_posix()
            if name not in PDF_TEMPLATES:
                found.append((name, path.read_text()))
    for app in ("communities", "engagement", "governance", "projects", "coproduction"):
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("templates/**/*.html")):
            found.append((path.as_posix(), path.read_text()))
    return found


@pytest.mark.parametrize(("name", "text"), templates(), ids=[n for n, _ in templates()])
def test_templates_have_no_inline_style_handlers_or_unnonced_script(name, text):
    # then: no style attribute or element (style-src has no 'unsafe-inline')
    assert not re.search(r"\sstyle\s*=", text), "use a class in static/scss"
    assert "<style" not in text
    # no event handler attributes, no javascript: URLs
    assert not re.search(r"\son[a-z]+\s*=\s*[\"']", text), "bind events in a static/js module"
    assert "javascript:" not in text
    # every script is a file, or carries the page's nonce
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or "nonce=" in tag, tag


@pytest.mark.django_db
@pytest.mark.parametrize("name", API_GET_ROUTES)
def test_api_responses_to_a_partner_token_carry_the_headers(police_api, request, name):
    # given
    kwargs, _outcomes = API_PAGES[name]
    if callable(kwargs):
        kwargs = kwargs(request.getfixturevalue)
    # when
    response = police_api.get(reverse(name, kwargs=kwargs))
    # then
    assert_security_headers(response, private=True)


@pytest.mark.django_db
def test_the_token_endpoint_is_not_cached(police_client):
    # given
    from tests.api.fixtures import token_for

    # when: the token itself is in the body
    token_for(police_client)
    from rest_framework.test import APIClient

    response = APIClient().post("/api/v1/oauth/token/", {"grant_type": "client_credentials"})
    # then
    assert_security_headers(response, private=True)


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_hsts_in_production(client, settings, officer, signed_in):
    # given: production's values (coproduction/settings/production.py)
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    if signed_in:
        client.force_login(officer)
    # when
    response = client.get(reverse("home"), secure=True)
    # then
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_security_headers(response, private=signed_in)


@pytest.mark.django_db
def test_public_pages_stay_cacheable_and_static_files_long_lived(client):
    # when
    page = client.get(reverse("accessibility"))
    # then
    assert "no-store" not in page.get("Cache-Control", "")
    assert page["Permissions-Policy"].startswith("camera=()")


@pytest.mark.django_db
def test_a_visitor_half_way_through_a_sign_up_gets_no_store(client, ward):
    """Their answers are shown back to them: a shared computer must not keep a copy."""
    # given
    from tests.engagement.factories import PostcodeFactory

    PostcodeFactory(postcode="NF1 1AB", ward=ward)
    client.post(
        reverse("engagement:champion_step", kwargs={"step": "contact"}),
        {"full_name": "Maureen Pike", "email": "maureen@example.org", "phone": ""},
    )
    # when
    response = client.get(reverse("engagement:champion_step", kwargs={"step": "contact"}))
    # then
    assert "no-store" in response["Cache-Control"]


# In Chromium, with the policy enforced ------------------------------------------------

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI,
                               sample: e.sample, source: e.sourceFile, line: e.lineNumber});
});
"""


@pytest.fixture
def enforcing_page(browser, live_server):
    """A page in Chromium that, unlike new_page, keeps the content security policy."""
    from tests.two_factor import force_login_with_second_factor

    contexts = []

    def open_page(*, user=None):
        context = browser.new_context(base_url=live_server.url, bypass_csp=False)
        contexts.append(context)
        context.add_init_script(CSP_LISTENER)
        if user is not None:
            from django.test import Client

            client = Client()
            force_login_with_second_factor(client, user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        page = context.new_page()
        page.set_default_timeout(15_000)
        # Map tiles come from the internet, which tests never reach.
        page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"), lambda r: r.abort())
        return page

    yield open_page
    for context in contexts:
        context.close()


def violations(page) -> list[dict]:
    page.wait_for_timeout(300)
    return page.evaluate("window.__cspViolations")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_that_run_scripts_break_no_policy(enforcing_page, officer, ward):
    # given: a job to watch, places on the map, the API reference
    from tests.communities.factories import AssetFactory

    AssetFactory(name="Abbey Park", area=ward, latitude="54.5620", longitude="-1.3110")
    job = Job.objects.create(kind="tests.echo", created_by=officer)
    page = enforcing_page(user=officer)
    pages = {
        "the API reference": (reverse("api:docs"), "#swagger-ui .opblock"),
        "the asset map": (reverse("communities:asset_map"), ".leaflet-container"),
        "the report map": (reverse("engagement:report_start"), "main"),
        "a job's progress": (reverse("jobs:detail", args=[job.pk]), "main"),
        "the home page": (reverse("home"), "main"),
    }
    found = {}
    for label, (url, ready) in pages.items():
        # when
        page.goto(url)
        page.wait_for_selector(ready)
        # then
        found[label] = violations(page)
        assert "js-enabled" in page.evaluate("document.body.className"), label
    assert found == {label: [] for label in pages}, found


@pytest.mark.django_db
def test_policy_allows_map_tiles_only_from_the_configured_server(client):
    # when
    csp = csp_directives(client.get(reverse("communities:asset_map")))
    # then
    assert csp["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
