"""Calls are limited per agency (its client) on the shared cache: 429 with Retry-After."""

from base64 import b64encode

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from coproduction.api.throttling import AgencyRateThrottle

pytestmark = pytest.mark.django_db


class Clock:
    """The throttle's clock, 20 seconds into a minute unless moved."""

    def __init__(self) -> None:
        self.now = 1_800_000_020.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(AgencyRateThrottle, "timer", staticmethod(clock))
    return clock


@pytest.fixture
def low_rates(settings, clock):
    settings.API_THROTTLE_RATES = {"agency": "3/min", "session": "2/min", "anonymous": "2/min"}
    cache.clear()
    yield
    cache.clear()


def test_the_count_starts_again_with_the_next_minute(low_rates, clock, police_api):
    # given
    for _ in range(3):
        assert police_api.get("/api/v1/me/").status_code == 200
    # when
    refused = police_api.get("/api/v1/me/")
    clock.now += 40
    again = police_api.get("/api/v1/me/")
    # then
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    assert again.status_code == 200


def test_calls_are_counted_with_one_atomic_increment(low_rates, police_api, monkeypatch):
    # given: the window's key exists after the first call
    police_api.get("/api/v1/me/")
    calls = []
    monkeypatch.setattr(cache, "get", lambda *a, **k: calls.append("get"))
    monkeypatch.setattr(cache, "set", lambda *a, **k: calls.append("set"))
    # when
    assert police_api.get("/api/v1/me/").status_code == 200
    # then: no read-modify-write that two workers could interleave
    assert calls == []


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


@pytest.mark.parametrize(
    "authorization", [None, "Bearer not-a-token", "Bearer " + "x" * 30], ids=str
)
def test_calls_without_valid_credentials_are_limited_per_address(low_rates, authorization):
    # given: calls with no token or a made-up one (someone guessing tokens)
    api = APIClient()
    if authorization:
        api.credentials(HTTP_AUTHORIZATION=authorization)
    # when
    statuses = [api.get("/api/v1/me/").status_code for _ in range(3)]
    refused = api.get("/api/v1/areas/")
    # then: two a minute from this address, then 429 with how long to wait
    assert statuses == [401, 401, 429]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 40
    assert refused.json()["detail"].startswith("Too many requests")


def test_an_agency_is_not_limited_by_calls_without_credentials_from_its_address(
    low_rates, police_api
):
    # given: the anonymous allowance used up from the same address
    for _ in range(3):
        APIClient().get("/api/v1/me/")
    # when / then: the agency's own calls count against its own limit
    assert police_api.get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/oauth/token/", "/api/v1/oauth/revoke/"])
def test_token_requests_are_limited_per_address(low_rates, police_client, path):
    # given: someone guessing the client's secret
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Basic " + b64encode(b"police:guess").decode())
    # when
    statuses = [
        api.post(path, {"grant_type": "client_credentials", "token": "x"}).status_code
        for _ in range(3)
    ]
    refused = api.post(path, {"grant_type": "client_credentials", "token": "x"})
    # then: two a minute from this address, as for other calls without a valid token
    assert statuses[:2] != [429, 429]
    assert statuses[2] == 429
    assert int(refused["Retry-After"]) == 40
    assert refused.json()["error_description"].startswith("Too many requests")


def test_a_clients_own_token_requests_are_not_counted(low_rates, police_client):
    # given: the address's allowance for calls without a valid token (2 a minute)
    from tests.api.fixtures import token_for

    # when / then
    for _ in range(4):
        assert token_for(police_client)
