import re

import pytest
from django.urls import reverse

from tests.accounts.factories import DEFAULT_PASSWORD, ResidentFactory

LOGIN = reverse("accounts:login")


def sign_in(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


@pytest.mark.django_db
def test_login_signs_in_and_goes_home(client, resident):
    """Residents need no second factor (officers': tests/accounts/test_two_factor.py)."""
    # when
    response = sign_in(client, resident.email.upper(), DEFAULT_PASSWORD)
    # then
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == resident


@pytest.mark.django_db
def test_login_same_message_for_unknown_email_and_wrong_password(client, officer):
    """No user enumeration: the page cannot tell which part was wrong."""
    # when
    unknown = sign_in(client, "nobody@example.org", DEFAULT_PASSWORD)
    wrong = sign_in(client, officer.email, "not-the-password")
    # then
    assert unknown.status_code == wrong.status_code == 400
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    assert "Enter a correct email address and password." in unknown.content.decode()
    assert "There is a problem" in unknown.content.decode()
    assert unknown.context["form"].non_field_errors()


@pytest.mark.django_db
def test_login_inactive_account_gets_the_same_message(client):
    # given
    user = ResidentFactory(email="gone@example.org")
    user.is_active = False
    user.save()
    # when
    response = sign_in(client, "gone@example.org", DEFAULT_PASSWORD)
    # then
    assert "Enter a correct email address and password." in response.content.decode()


@pytest.mark.django_db
def test_login_empty_form_shows_field_errors(client):
    # when
    response = client.post(LOGIN, {"username": "", "password": ""})
    # then
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"username", "password"}
    assert "<title>Error: Sign in" in response.content.decode()


@pytest.mark.django_db
def test_login_sixth_failure_locks_out(client, officer):
    # given: five failures are allowed
    for _ in range(5):
        assert sign_in(client, officer.email, "wrong-password-1").status_code == 400
    # when
    sixth = sign_in(client, officer.email, "wrong-password-1")
    then_right = sign_in(client, officer.email, DEFAULT_PASSWORD)
    # then
    assert sixth.status_code == 429
    assert "Too many attempts to sign in" in sixth.content.decode()
    assert then_right.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_five_failures_then_right_password_signs_in(client, officer):
    # given
    for _ in range(5):
        sign_in(client, officer.email, "wrong-password-1")
    # when
    response = sign_in(client, officer.email, DEFAULT_PASSWORD)
    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


@pytest.mark.django_db
def test_logout_needs_post(client, officer):
    # given
    client.force_login(officer)
    # when
    get = client.get(reverse("accounts:logout"))
    post = client.post(reverse("accounts:logout"))
    # then
    assert get.status_code == 405
    assert post.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_emails_a_working_link(
    client, resident, mailoutbox, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": resident.email.upper()}
        )
    # then
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/password/reset/\S+/", mailoutbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    # when: the person follows the link and chooses a new password
    form_page = client.get(f"/{path}", follow=True)
    new_password = "a-brand-new-passphrase-42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    # then
    assert done.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password(new_password)


@pytest.mark.django_db
def test_password_reset_unknown_email_says_the_same_and_sends_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    # then
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert callbacks == []
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_reset_invalid_email_shows_error(client, mailoutbox):
    # when
    response = client.post(reverse("accounts:password_reset"), {"email": "not an email"})
    # then
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_reset_bad_token_says_link_expired(client, resident):
    # when
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]))
    # then
    assert response.status_code == 200
    assert "This link has expired" in response.content.decode()


@pytest.mark.django_db
def test_password_change_refuses_short_password(client, officer):
    # given
    client.force_login(officer)
    # when
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "short-pw",
            "new_password2": "short-pw",
        },
    )
    # then
    assert response.status_code == 400
    assert "at least 12 characters" in response.content.decode()
