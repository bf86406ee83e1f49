"""Two-factor authentication: enrolment, the second step of signing in, backup codes,
enforcement for staff, councillors and board members, and the administrator's reset.

These tests sign in with the password form or `force_login_without_second_factor`: the
suite's `force_login` verifies a second factor for them (tests/two_factor.py).
"""

import re
from urllib.parse import urlencode

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduction.accounts.middleware import UNVERIFIED_ALLOWED
from coproduction.accounts.services import two_factor_reset
from governance.models import AuditEvent
from tests.accounts.factories import DEFAULT_PASSWORD, ResidentFactory
from tests.coproduction.test_permissions import PAGES
from tests.two_factor import (
    app_device_for,
    force_login_without_second_factor,
    totp_now,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")
BACKUP = reverse("accounts:two_factor_backup_codes")
HOME = reverse("home")


def sign_in(client, user):
    return client.post(LOGIN, {"username": user.email, "password": DEFAULT_PASSWORD})


def enrolling_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_officer_without_an_app_is_sent_to_set_one_up_after_the_password(client, officer):
    # when
    response = sign_in(client, officer)
    home = client.get(HOME)
    # then
    assert response.status_code == 302
    assert home.status_code == 302
    assert home.url.startswith(SETUP)


def test_enrolment_shows_a_qr_code_drawn_without_script_or_style(client, officer):
    # given
    sign_in(client, officer)
    # when
    response = client.get(SETUP)
    # then
    html = response.content.decode()
    svg = re.search(r"<svg[^>]*class=\"app-qr-code\".*?</svg>", html, re.S).group(0)
    assert "<path" in svg
    assert "style" not in svg
    assert "<script" not in svg
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    # the key for typing in, in groups of four
    assert re.search(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", html)


def test_enrolment_keeps_the_same_key_when_the_page_is_reloaded(client, officer):
    # given
    sign_in(client, officer)
    client.get(SETUP)
    key = enrolling_device(officer).key
    # when
    client.get(SETUP)
    # then
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    assert enrolling_device(officer).key == key


def test_enrolment_with_a_wrong_code_shows_the_error(client, officer):
    # given
    sign_in(client, officer)
    client.get(SETUP)
    # when
    response = client.post(SETUP, {"code": "000000"})
    # then
    assert response.status_code == 400
    assert "<title>Error: Set up two-factor authentication" in response.content.decode()
    assert "The code is not correct" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "<script>"])
def test_enrolment_refuses_malformed_codes(client, officer, code):
    # given
    sign_in(client, officer)
    client.get(SETUP)
    # when
    response = client.post(SETUP, {"code": code})
    # then
    assert response.status_code == 400
    assert response.context["form"].errors["code"]


def test_enrolment_with_the_right_code_verifies_and_shows_backup_codes_once(client, officer):
    # given
    sign_in(client, officer)
    client.get(SETUP)
    device = enrolling_device(officer)
    # when
    response = client.post(SETUP, {"code": totp_now(device), "next": "/projects/"})
    codes_page = client.get(response.url)
    again = client.get(BACKUP)
    # then
    assert response.status_code == 302
    assert response.url.startswith(BACKUP)
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    assert again.context["codes"] is None
    assert again.context["codes_left"] == 10
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(
        action="accounts.two_factor.enrolled", object_id=str(officer.pk)
    ).exists()


def test_a_password_alone_cannot_replace_the_app(client, officer):
    """Someone who learnt the password must not add their own phone."""
    # given
    app_device_for(officer)
    force_login_without_second_factor(client, officer)
    # when
    response = client.get(SETUP)
    # then
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=officer, confirmed=False).exists()


@pytest.mark.parametrize("role", ["officer", "elected_member", "board_member", "administrator"])
@pytest.mark.parametrize("url", ["/", "/account/", "/projects/", "/admin/"])
def test_each_role_is_asked_for_the_code_first(client, user_for_role, role, url):
    # given
    user = user_for_role(role)
    app_device_for(user)
    force_login_without_second_factor(client, user)
    # when
    response = client.get(url)
    # then
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?{urlencode({'next': url})}"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_asks_for_the_code_first(client, request, officer, name):
    """Every URL of the role x page matrix, pages to come included."""
    # given
    kwargs, _outcomes = PAGES[name]
    if callable(kwargs):
        kwargs = kwargs(request.getfixturevalue)
    url = reverse(name, kwargs=kwargs)
    app_device_for(officer)
    force_login_without_second_factor(client, officer)
    # when
    response = client.get(url)
    # then
    if name == "accounts:two_factor_setup":
        assert response.url == VERIFY  # a password alone cannot replace the app
    elif name in UNVERIFIED_ALLOWED:
        assert response.status_code in (200, 405)
    elif url.startswith("/api/"):
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response.url == f"{VERIFY}?{urlencode({'next': url})}"


def test_the_api_refuses_a_session_without_the_code(client, officer):
    # given
    app_device_for(officer)
    force_login_without_second_factor(client, officer)
    # when
    response = client.get("/api/v1/me/")
    # then
    assert response.status_code == 403
    assert "authenticator app" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/privacy/", "/accessibility/", "/healthz"])
def test_information_pages_open_before_the_code(client, officer, url):
    # given
    app_device_for(officer)
    force_login_without_second_factor(client, officer)
    # when / then
    assert client.get(url).status_code == 200


def test_the_right_code_lets_the_person_on_to_where_they_were_going(client, officer):
    # given
    device = app_device_for(officer)
    force_login_without_second_factor(client, officer)
    session_before = client.session.session_key
    # when
    response = client.post(f"{VERIFY}?next=/projects/", {"code": totp_now(device)})
    # then
    assert response.status_code == 302
    assert response.url == "/projects/"
    assert client.get("/projects/").status_code == 200
    # a new session key once verified (no fixation of the half-signed-in session)
    assert client.session.session_key != session_before


def test_verify_never_sends_the_person_off_the_site(client, officer):
    # given
    device = app_device_for(officer)
    force_login_without_second_factor(client, officer)
    # when
    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": totp_now(device)})
    # then
    assert response.url == HOME


def test_a_wrong_code_is_refused_and_throttles_the_next_try(client, officer):
    # given
    device = app_device_for(officer)
    force_login_without_second_factor(client, officer)
    # when
    wrong = client.post(VERIFY, {"code": "000000"})
    right_at_once = client.post(VERIFY, {"code": totp_now(device)})
    # then
    assert "The code is not correct" in wrong.content.decode()
    assert "<title>Error: Enter your code" in wrong.content.decode()
    assert "Too many wrong codes: wait" in right_at_once.content.decode()
    assert client.get(HOME).status_code == 302


def test_an_old_code_is_refused(client, officer):
    # given
    device = app_device_for(officer)
    force_login_without_second_factor(client, officer)
    # when
    response = client.post(VERIFY, {"code": totp_now(device, offset_steps=-10)})
    # then
    assert "The code is not correct" in response.content.decode()


def test_a_backup_code_signs_in_once(client, officer):
    # given
    app_device_for(officer)
    backup = StaticDevice.objects.create(user=officer, name="Backup codes")
    StaticToken.objects.create(device=backup, token="abcd2345")
    StaticToken.objects.create(device=backup, token="efgh6723")
    force_login_without_second_factor(client, officer)
    # when
    response = client.post(VERIFY, {"code": "ABCD 2345"}, follow=True)
    # then
    assert response.status_code == 200
    assert "You used a backup code: 1 left" in response.content.decode()
    assert list(backup.token_set.values_list("token", flat=True)) == ["efgh6723"]
    assert AuditEvent.objects.filter(action="accounts.two_factor.backup_code_used").count() == 1
    # and it does not work a second time
    other = type(client)()
    force_login_without_second_factor(other, officer)
    assert "The code is not correct" in other.post(VERIFY, {"code": "abcd2345"}).content.decode()


def test_new_backup_codes_replace_the_old_ones(client, officer):
    # given: signed in with a verified second factor
    client.force_login(officer)
    client.post(BACKUP)
    first = client.get(BACKUP).context["codes"]
    # when
    client.post(BACKUP)
    second = client.get(BACKUP).context["codes"]
    # then
    assert set(first).isdisjoint(second)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(second)


def test_residents_need_no_second_factor(client, resident):
    # when
    sign_in(client, resident)
    # then
    assert client.get(reverse("accounts:account")).status_code == 200


def test_a_resident_who_chose_a_second_factor_is_asked_for_it(client, resident):
    # given
    app_device_for(resident)
    # when
    sign_in(client, resident)
    response = client.get(reverse("accounts:account"))
    # then
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


def test_a_resident_may_turn_it_off(client, resident):
    # given
    device = app_device_for(resident)
    sign_in(client, resident)
    client.post(VERIFY, {"code": totp_now(device)})
    # when
    response = client.post(reverse("accounts:two_factor_disable"))
    # then
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=resident).exists()
    assert client.get(reverse("accounts:account")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.two_factor.disabled").exists()


def test_an_officer_may_not_turn_it_off(client, officer):
    # given
    client.force_login(officer)
    # when
    response = client.post(reverse("accounts:two_factor_disable"))
    # then
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_administrator_resets_a_lost_phone_in_the_admin_site(client, administrator, officer):
    # given: the officer is signed in somewhere
    elsewhere = type(client)()
    elsewhere.force_login(officer)
    client.force_login(administrator)
    # when
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [officer.pk]},
    )
    # then
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert elsewhere.get("/account/").url.startswith(LOGIN)
    event = AuditEvent.objects.get(action="accounts.two_factor.reset")
    assert (event.actor_id, event.object_id) == (administrator.pk, str(officer.pk))
    # and at the next sign-in the officer sets up a new app
    sign_in(elsewhere, officer)
    assert elsewhere.get(HOME).url.startswith(SETUP)


def test_django_otp_admin_pages_are_not_offered(client, administrator):
    # given
    client.force_login(administrator)
    # when / then: the pages that would show people's secret keys do not exist
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_break_glass_command_resets_with_a_reason(officer):
    # given
    app_device_for(officer)
    # when
    call_command("two_factor_reset", officer.email.upper(), reason="lost phone, ticket 42")
    # then
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(action="accounts.two_factor.reset")
    assert event.actor_id is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody@example.org", "--reason", "x"], "No account has the email address"),
        (["{email}", "--reason", "  "], "Give the reason"),
    ],
)
def test_break_glass_command_refuses_bad_input(officer, args, message):
    # given
    app_device_for(officer)
    args = [a.format(email=officer.email) for a in args]
    # when
    with pytest.raises(CommandError, match=message):
        call_command("two_factor_reset", *args)
    # then
    assert TOTPDevice.objects.filter(user=officer).exists()


def test_reset_of_a_resident_keeps_them_free_to_sign_in_without(client):
    # given
    person = ResidentFactory()
    app_device_for(person)
    # when
    two_factor_reset(user=person, actor=None, reason="asked")
    sign_in(client, person)
    # then
    assert client.get(reverse("accounts:account")).status_code == 200
