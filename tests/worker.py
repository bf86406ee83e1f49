"""A real Celery worker in a subprocess, on the real broker and the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from kombu import Connection

from coproduction.celery import app as celery_app
from tests.services import service_missing

WORKER_START_SECONDS = 60


def broker_reachable(url: str) -> bool:
    if not url.startswith("redis"):
        return False
    try:
        with Connection(url, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # kombu raises transport-specific errors
        return False
    return True


def database_url_for_tests() -> str:
    """The URL of the test database this session created, for the worker to share."""
    config = connection.settings_dict
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(config['NAME']).resolve()}"
    return (
        f"postgres://{config['USER']}:{config['PASSWORD']}@{config['HOST'] or '127.0.0.1'}"
        f":{config['PORT'] or 5432}/{config['NAME']}"
    )


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    if not broker_reachable(broker_url):
        service_missing(f"No Redis broker reachable at CELERY_BROKER_URL={broker_url!r}")
    mail_dir = tmp_path_factory.mktemp("worker-mail")
    hostname = f"coproduce-test-{os.getpid()}@localhost"
    with django_db_blocker.unblock():
        database_url = database_url_for_tests()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coproduction.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    log_path = mail_dir.parent / "worker.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "coproduction",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "-n",
            hostname,
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + WORKER_START_SECONDS
    while not celery_app.control.ping(destination=[hostname], timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()}")
    yield {"process": process, "mail_dir": mail_dir, "log": log_path}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def celery_worker(celery_worker_process, transactional_db):
    """Send tasks to the real worker for this test, instead of running them in-process."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield celery_worker_process
    celery_app.conf.task_always_eager = previous


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return None
