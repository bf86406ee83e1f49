"""A session's POST without its CSRF token: JSON under /api/, the site's 403 page elsewhere
(CSRF_FAILURE_VIEW, coproduction.pages.csrf_failure)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client(resident) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    return client


@pytest.mark.parametrize("path", ["/api/v1/docs/"])
def test_api_post_without_csrf_token_is_json_403(strict_client, path):
    # when
    response = strict_client.post(path, data="{}", content_type="application/json")
    # then
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "CSRF" in response.json()["detail"]


def test_site_post_without_csrf_token_is_the_site_403_page(strict_client):
    # when
    response = strict_client.post("/", data={"q": "x"})
    # then
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "CSRF" not in response.content.decode()
