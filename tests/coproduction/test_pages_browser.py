"""Every page of the foundation in Chromium, checked with axe-core and kept as a screenshot."""

import pytest
from django.urls import reverse

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.browser import PHONE, assert_accessible, assert_error_page, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["resident", "officer", "elected_member", "board_member", "partner_user", "administrator"]


@pytest.mark.parametrize("role", ROLES)
def test_home_for_each_role_is_accessible(new_page, user_for_role, role):
    # given
    user = user_for_role(role)
    page = new_page(user=user)
    # when
    page.goto(reverse("home"))
    # then
    assert page.locator("h1").inner_text() == f"Welcome, {user.get_short_name()}"
    save_screenshot(page, f"home-{role}")
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "accounts:login",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_complete",
        "accessibility",
        "privacy",
    ],
)
def test_public_pages_are_accessible(new_page, name):
    # given
    page = new_page()
    # when
    page.goto(reverse(name))
    # then
    save_screenshot(page, f"public-{name.replace(':', '-')}")
    assert_accessible(page)


@pytest.mark.parametrize(
    "name", ["accounts:account", "accounts:password_change", "accounts:password_change_done"]
)
def test_account_pages_are_accessible(new_page, officer, name):
    page = new_page(user=officer)
    page.goto(reverse(name))
    assert_accessible(page)


def test_sign_in_through_the_form(new_page, officer):
    # given: an officer with an authenticator app (staff must use one)
    from tests.two_factor import app_device_for, totp_now

    device = app_device_for(officer)
    page = new_page()
    page.goto(reverse("accounts:login"))
    # when: the password, then the code
    page.get_by_label("Email address").fill(officer.email.upper())
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{reverse('accounts:two_factor_verify')}**")
    page.get_by_label("Code").fill(totp_now(device))
    page.get_by_role("button", name="Continue").click()
    # then
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "Welcome, Sam"
    assert page.get_by_role("link", name="Your account").is_visible()


def test_sign_in_errors_are_summarised_and_accessible(new_page, officer):
    # given
    page = new_page()
    page.goto(reverse("accounts:login"))
    # when
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    # then
    summary = page.locator(".govuk-error-summary")
    assert "Enter a correct email address and password." in summary.inner_text()
    assert_error_page(page)
    save_screenshot(page, "login-error")
    assert_accessible(page)


def test_resident_home_fits_a_320px_phone(new_page, resident):
    # given
    page = new_page(user=resident, viewport=PHONE)
    # when
    page.goto(reverse("home"))
    # then
    save_screenshot(page, "home-resident-phone")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_accessible(page)


def test_sign_in_page_fits_a_320px_phone(new_page):
    page = new_page(viewport=PHONE)
    page.goto(reverse("accounts:login"))
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page)


@pytest.mark.parametrize(
    ("path", "status"),
    [("/no-such-page/", 404), ("/boom/403/", 403), ("/boom/500/", 500), ("/boom/400/", 400)],
)
def test_error_pages_are_accessible(new_page, officer, settings, path, status):
    # given
    settings.ROOT_URLCONF = "tests.coproduction.urls_with_errors"
    page = new_page(user=officer)
    # when
    response = page.goto(path)
    # then
    assert response.status == status
    save_screenshot(page, f"error-{status}")
    assert_accessible(page)


def test_password_reset_expired_link_page_is_accessible(new_page):
    page = new_page()
    page.goto(reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]))
    assert page.locator("h1").inner_text() == "This link has expired"
    assert_accessible(page)


def test_admin_index_opens_for_administrator(new_page, administrator):
    page = new_page(user=administrator)
    response = page.goto(reverse("admin:index"))
    assert response.status == 200
    assert page.get_by_role("link", name="Users").first.is_visible()


@pytest.mark.parametrize("status", ["running", "failed", "done"])
def test_job_progress_page_is_accessible(new_page, officer, status):
    # given
    from coproduction.jobs.models import Job

    job = Job.objects.create(
        kind="tests.echo",
        created_by=officer,
        status=status,
        progress_done=2,
        progress_total=5,
        message="The file has 1 error" if status == "failed" else "",
        errors=[{"line": 3, "column": "postcode", "message": "Enter a full postcode"}]
        if status == "failed"
        else [],
        result={"created": 12} if status == "done" else {},
    )
    page = new_page(user=officer)
    # when
    page.goto(reverse("jobs:detail", args=[job.pk]))
    # then
    save_screenshot(page, f"job-{status}")
    assert_accessible(page)
