"""A real Celery worker in a subprocess, on the real broker and the test database."""

import os
import signal
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


class WorkerProcess:
    """A real `celery worker` subprocess on this run's queue and the test database."""

    def __init__(self, *, broker_url: str, database_url: str, mail_dir: Path, name: str):
        self.hostname = f"{name}-{os.getpid()}@localhost"
        self.mail_dir = mail_dir
        self.log_path = mail_dir.parent / f"{name}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coproduction.settings.test",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
            "TEST_EMAIL_FILE_PATH": str(mail_dir),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
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
                self.hostname,
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + WORKER_START_SECONDS
        while not celery_app.control.ping(destination=[self.hostname], timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"The Celery worker did not start:\n{self.log()}")
        return self

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as on a crash or an OOM kill."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def log(self) -> str:
        return self.log_path.read_text()[-5000:] if self.log_path.exists() else ""

    def __getitem__(self, key: str):
        # The session fixture's dictionary shape, kept for the tests that use it.
        return {"process": self.process, "mail_dir": self.mail_dir, "log": self.log_path}[key]


def worker_for_tests(name: str, tmp_path_factory) -> WorkerProcess:
    broker_url = os.environ.get("CELERY_BROKER_URL", "")
    if not broker_reachable(broker_url):
        service_missing(f"No Redis broker reachable at CELERY_BROKER_URL={broker_url!r}")
    return WorkerProcess(
        broker_url=broker_url,
        database_url=database_url_for_tests(),
        mail_dir=tmp_path_factory.mktemp(f"{name}-mail"),
        name=name,
    )


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        worker = worker_for_tests("coproduce-test", tmp_path_factory)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def own_worker(celery_worker_process, transactional_db, tmp_path_factory):
    """A second worker of this test's own, to kill and restart; the shared worker is
    paused meanwhile so that only this one takes the test's tasks."""
    shared = celery_worker_process
    shared.stop()
    worker = worker_for_tests("coproduce-own", tmp_path_factory)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield worker
    worker.stop()
    celery_app.conf.task_always_eager = previous
    shared.start()


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
