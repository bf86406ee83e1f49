"""docker-compose.yml cannot run here (no Docker engine), so its shape is checked."""

import importlib
import os
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_compose_has_the_five_services(services):
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}


def test_compose_web_worker_beat_share_one_image(services):
    images = {
        (services[name]["build"], services[name]["image"]) for name in ("web", "worker", "beat")
    }
    assert images == {(".", "coproduce:latest")}


@pytest.mark.parametrize(
    ("service", "command"),
    [
        ("web", "gunicorn -c python:coproduction.gunicorn_config coproduction.wsgi:application"),
        ("web", "manage.py migrate"),
        ("worker", "celery -A coproduction worker"),
        ("beat", "celery -A coproduction beat"),
    ],
)
def test_compose_commands(services, service, command):
    assert command in " ".join(services[service]["command"].split())


@pytest.mark.parametrize("service", ["web", "worker", "beat", "postgres", "redis"])
def test_compose_every_service_has_a_health_check(services, service):
    assert services[service]["healthcheck"]["test"]


def test_compose_app_runs_production_settings_on_postgres_and_redis(services):
    environment = services["web"]["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "coproduction.settings.production"
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["CELERY_BROKER_URL"].startswith("redis://redis")
    assert services["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_compose_data_lives_in_volumes(services):
    assert any("postgresql/data" in volume for volume in services["postgres"]["volumes"])
    assert any(volume.endswith(":/data") for volume in services["redis"]["volumes"])


def test_dockerfile_builds_the_front_end_and_collects_static():
    dockerfile = (Path(settings.BASE_DIR) / "Dockerfile").read_text()
    assert "npm ci" in dockerfile
    assert "collectstatic" in dockerfile
    assert "USER coproduce" in dockerfile


def test_the_dockerfile_serves_with_the_same_gunicorn_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"-c", "python:coproduction.gunicorn_config"' in dockerfile


@pytest.mark.parametrize(
    ("environ", "workers"),
    [({}, (os.cpu_count() or 1) + 1), ({"WEB_CONCURRENCY": "7"}, 7)],
)
def test_gunicorn_workers_are_a_core_each_and_one_more_unless_set(monkeypatch, environ, workers):
    from gunicorn.config import Config

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    module = importlib.reload(importlib.import_module("coproduction.gunicorn_config"))
    config = Config()
    for name in ("bind", "workers", "timeout", "accesslog"):
        config.set(name, getattr(module, name))
    assert config.workers == workers
    assert config.bind == ["0.0.0.0:8000"]
