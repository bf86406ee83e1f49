"""Administrators' pages for API clients: add one (secret shown once), change scopes,
new secret, revoke tokens, revoke the client; bad input gets the form back."""

import pytest
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import AccessToken

from coproduction.api.models import ApiClient
from tests.api.fixtures import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_administrator_adds_a_client_and_sees_the_secret_once(admin_client, police):
    # when
    response = admin_client.post(
        reverse("api_clients:create"),
        {"agency": police.pk, "scopes": ["areas:read", "partnerships:read"]},
    )
    # then
    client = ApiClient.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("api_clients:detail", kwargs={"pk": client.pk})
    first = admin_client.get(response.url)
    secret = first.context["secret"]
    assert secret
    assert secret in first.content.decode()
    assert client.application.client_secret != secret
    second = admin_client.get(response.url)
    assert second.context["secret"] is None
    assert secret not in second.content.decode()
    # and the secret works
    client.secret = secret
    assert token_for(client)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"scopes": ["areas:read"]}, "agency"),
        ({"agency": "999999", "scopes": ["areas:read"]}, "agency"),
        ({"agency": "x\x00", "scopes": ["areas:read"]}, "agency"),
        ({"agency": "{police}"}, "scopes"),
        ({"agency": "{police}", "scopes": ["everything:write"]}, "scopes"),
        (
            {"agency": "{police}", "scopes": ["areas:read"], "contact_note": "x" * 201},
            "contact_note",
        ),
    ],
)
def test_bad_input_gets_the_form_back_with_errors(admin_client, police, data, field):
    # given
    data = {k: (v.format(police=police.pk) if isinstance(v, str) else v) for k, v in data.items()}
    # when
    response = admin_client.post(reverse("api_clients:create"), data)
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert ApiClient.objects.count() == 0


def test_agencies_with_a_client_are_not_offered(admin_client, police_client, fire):
    # when
    response = admin_client.get(reverse("api_clients:create"))
    # then
    offered = list(response.context["form"].fields["agency"].queryset)
    assert police_client.agency not in offered
    assert fire in offered


def test_list_shows_clients_with_their_live_tokens(
    admin_client, police_client, django_assert_num_queries
):
    # given
    token_for(police_client)
    # when
    # session, user, user's groups (navigation), clients with agency, creator and token count
    with django_assert_num_queries(4):
        response = admin_client.get(reverse("api_clients:list"))
    # then
    assert response.status_code == 200
    assert response.context["clients"][0].token_count == 1


def test_list_query_count_is_constant(admin_client, administrator, django_assert_num_queries):
    # given
    from tests.api.factories import ApiClientFactory

    ApiClientFactory.create_batch(5, created_by=administrator)
    # when / then
    # session, user, user's groups (navigation), clients with agency, creator and token count
    with django_assert_num_queries(4):
        admin_client.get(reverse("api_clients:list"))


def test_change_scopes(admin_client, police_client):
    # when
    response = admin_client.post(
        reverse("api_clients:scopes", kwargs={"pk": police_client.pk}), {"scopes": ["areas:read"]}
    )
    # then
    assert response.status_code == 302
    police_client.refresh_from_db()
    assert police_client.scopes == ["areas:read"]


def test_change_scopes_needs_one(admin_client, police_client):
    # given
    url = reverse("api_clients:scopes", kwargs={"pk": police_client.pk})
    # when
    response = admin_client.post(url, {})
    # then
    assert response.status_code == 400
    assert "Error: " in response.content.decode()


def test_revoke_tokens_then_client(admin_client, police_client):
    # given
    token_for(police_client)
    # when
    admin_client.post(reverse("api_clients:tokens_revoke", kwargs={"pk": police_client.pk}))
    # then
    assert AccessToken.objects.count() == 0
    # when
    admin_client.post(reverse("api_clients:revoke", kwargs={"pk": police_client.pk}))
    # then
    police_client.refresh_from_db()
    assert not police_client.is_active
    detail = admin_client.get(reverse("api_clients:detail", kwargs={"pk": police_client.pk}))
    assert "Revoked" in detail.content.decode()
    again = admin_client.get(reverse("api_clients:revoke", kwargs={"pk": police_client.pk}))
    assert again.status_code == 302


def test_a_form_sent_after_the_client_was_revoked_is_refused_on_its_page(
    admin_client, police_client
):
    """Opened before someone revoked the client, sent after: the page again with why
    (400), nothing changed; opening such a page leads back to the client."""
    # given
    scopes_before = list(police_client.scopes)
    secret_before = police_client.application.client_secret
    ApiClient.objects.filter(pk=police_client.pk).update(revoked_at=timezone.now())
    scopes_url = reverse("api_clients:scopes", kwargs={"pk": police_client.pk})
    secret_url = reverse("api_clients:secret_reset", kwargs={"pk": police_client.pk})
    # when
    scopes = admin_client.post(scopes_url, {"scopes": ["areas:read"]})
    secret = admin_client.post(secret_url)
    opened = admin_client.get(scopes_url)
    # then
    assert scopes.status_code == secret.status_code == 400
    assert "<title>Error: " in scopes.content.decode()
    assert "A revoked client cannot be changed." in scopes.content.decode()
    assert "This client has been revoked." in secret.content.decode()
    assert opened.status_code == 302
    police_client.refresh_from_db()
    police_client.application.refresh_from_db()
    assert police_client.scopes == scopes_before
    assert police_client.application.client_secret == secret_before


def test_new_secret_is_shown_once(admin_client, police_client):
    # when
    response = admin_client.post(
        reverse("api_clients:secret_reset", kwargs={"pk": police_client.pk}), follow=True
    )
    # then
    secret = response.context["secret"]
    assert secret
    assert secret != police_client.secret
    police_client.secret = secret
    assert token_for(police_client)


def test_missing_client_is_404(admin_client):
    url = reverse("api_clients:detail", kwargs={"pk": 999999})
    assert admin_client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["officer", "partner_user", "elected_member"])
def test_others_cannot_post(client, request, police_client, role):
    # given
    client.force_login(request.getfixturevalue(role))
    # when
    response = client.post(reverse("api_clients:revoke", kwargs={"pk": police_client.pk}))
    # then
    assert response.status_code == 403
    police_client.refresh_from_db()
    assert police_client.is_active
