"""Calls are limited per agency (its client) on the shared cache: 429 with Retry-After."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_RATES = {"agency": "3/min", "session": "2/min", "anonymous": "2/min"}
    cache.clear()
    yield
    cache.clear()


def test_an_agency_over_its_rate_gets_429_with_retry_after(low_rates, police_api):
    # given
    for _ in range(3):
        assert police_api.get("/api/v1/me/").status_code == 200
    # when
    response = police_api.get("/api/v1/me/")
    # then
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Too many requests" in response.json()["detail"]


def test_the_limit_is_per_agency(low_rates, police_api, fire_api):
    # given
    for _ in range(3):
        police_api.get("/api/v1/me/")
    # when
    response = fire_api.get("/api/v1/me/")
    # then
    assert response.status_code == 200


def test_a_new_token_does_not_reset_the_agencys_count(low_rates, police_client):
    # given
    from tests.api.fixtures import api_for

    for _ in range(3):
        api_for(police_client).get("/api/v1/me/")
    # when
    response = api_for(police_client).get("/api/v1/me/")
    # then
    assert response.status_code == 429


def test_sessions_are_limited_per_person(low_rates, officer):
    # given
    api = APIClient()
    api.force_login(officer)
    api.get("/api/v1/me/")
    api.get("/api/v1/me/")
    # when
    response = api.get("/api/v1/me/")
    # then
    assert response.status_code == 429
