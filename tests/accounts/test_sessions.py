"""Sessions: idle and absolute limits, signing out everywhere, cookies' settings."""

import datetime as dt
import json

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.coproduction.test_settings import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("accounts:account")
LOGIN = reverse("accounts:login")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def minutes(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def signed_in_client(client, user):
    client.force_login(user)
    return client


def test_a_session_idle_longer_than_the_limit_ends(client, officer):
    # given
    with time_machine.travel(START, tick=False) as clock:
        signed_in_client(client, officer)
        # when
        clock.shift(minutes(31))
        response = client.get(ACCOUNT, follow=True)
    # then
    assert response.redirect_chain[0][0] == f"{LOGIN}?next=%2Faccount%2F"
    assert "had not done anything for 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_keeps_a_session_alive_until_its_absolute_end(client, officer):
    # given
    with time_machine.travel(START, tick=False) as clock:
        signed_in_client(client, officer)
        # when: a request every 25 minutes for almost eight hours
        for _ in range(19):
            clock.shift(minutes(25))
            assert client.get(ACCOUNT).status_code == 200
        clock.shift(minutes(25))  # 8 h 20 min after signing in
        response = client.get(ACCOUNT, follow=True)
    # then
    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert "Your session has ended" in response.content.decode()


def test_idle_and_absolute_limits_come_from_settings(client, officer, settings):
    # given
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    with time_machine.travel(START, tick=False) as clock:
        signed_in_client(client, officer)
        # when
        clock.shift(minutes(4))
        still_in = client.get(ACCOUNT)
        clock.shift(minutes(6))
        out = client.get(ACCOUNT)
    # then
    assert still_in.status_code == 200
    assert out.status_code == 302


def test_an_api_call_after_the_limit_gets_401(client, officer):
    # given
    with time_machine.travel(START, tick=False) as clock:
        signed_in_client(client, officer)
        # when
        clock.shift(minutes(31))
        response = client.get("/api/v1/me/")
    # then
    assert response.status_code == 401
    assert "sign in" in response.json()["detail"].lower()


def test_sign_out_everywhere_keeps_this_session_only(client, officer):
    # given
    phone = type(client)()
    phone.force_login(officer)
    signed_in_client(client, officer)
    # when
    response = client.post(reverse("accounts:sign_out_everywhere"))
    # then
    assert response.status_code == 302
    assert client.get(ACCOUNT).status_code == 200
    assert phone.get(ACCOUNT).url.startswith(LOGIN)


def test_a_new_password_signs_out_every_other_session(client, officer):
    # given
    phone = type(client)()
    phone.force_login(officer)
    signed_in_client(client, officer)
    # when
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "a-brand-new-passphrase-77",
            "new_password2": "a-brand-new-passphrase-77",
        },
    )
    # then
    assert response.status_code == 302
    assert client.get(ACCOUNT).status_code == 200
    assert phone.get(ACCOUNT).url.startswith(LOGIN)


def test_session_cookie_is_http_only_lax_and_ends_with_the_browser(client, officer):
    # when
    response = client.post(LOGIN, {"username": officer.email, "password": DEFAULT_PASSWORD})
    # then
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["path"] == "/"
    assert not cookie["domain"]


def test_production_cookies_are_secure_and_host_only():
    # when
    result = manage(
        "shell",
        "-c",
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
        "for k in ['SESSION_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SESSION_COOKIE_SAMESITE', 'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'SESSION_COOKIE_DOMAIN', "
        "'CSRF_COOKIE_NAME', 'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', "
        "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT']}))",
        env=PRODUCTION_ENV,
    )
    # then
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SESSION_COOKIE_DOMAIN": None,
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
    }
