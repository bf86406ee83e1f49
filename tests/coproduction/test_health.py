import pytest
from django.db import OperationalError
from django.urls import reverse

HEALTHZ = reverse("healthz")


@pytest.mark.django_db
def test_healthz_ok_in_embedded_mode(client, settings):
    # given
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # when
    response = client.get(HEALTHZ)
    # then
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "not used"},
    }


@pytest.mark.django_db
def test_healthz_broker_down_is_503_while_pages_still_serve(client, settings):
    # given: nothing listens on port 9
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    # when
    health = client.get(HEALTHZ)
    page = client.get(reverse("home"))
    # then
    assert health.status_code == 503
    assert health.json()["checks"] == {"database": "ok", "broker": "unavailable"}
    assert page.status_code == 200


@pytest.mark.django_db
def test_healthz_database_down_is_503(client, monkeypatch):
    # given
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("coproduction.health.connection.ensure_connection", refuse)
    # when
    response = client.get(HEALTHZ)
    # then
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    response = client.get(HEALTHZ)
    assert "no-cache" in response["Cache-Control"]
