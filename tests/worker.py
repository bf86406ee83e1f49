"""A real Celery worker in a subprocess, on the real broker and the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from kombu import Connection

from coproduction.celery import app as celery_app
from tests.services import service_missing

# A worker's start on a loaded machine (Django set-up, broker connection).
WORKER_START_SECONDS = 120


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

    def wait_for(self, predicate, *, what: str, timeout: float | None = None):
        """wait_for, failing with this worker's log (and at once if it dies)."""
        return wait_for(predicate, timeout=timeout, worker=self, what=what)

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


def worker_timeout() -> float:
    """Seconds a test waits for the worker: COPRODUCE_WORKER_TIMEOUT, else 120.

    The work these tests hand the worker takes well under a second; the margin is for a
    CI machine loaded by other jobs, where a start-up or a task can take tens of seconds.
    A hang still fails the test, at the timeout, and a worker that dies fails it at once.
    """
    return float(os.environ.get("COPRODUCE_WORKER_TIMEOUT", "120"))


def wait_for(
    predicate,
    *,
    timeout: float | None = None,
    interval: float = 0.2,
    worker: WorkerProcess | None = None,
    what: str = "the worker",
):
    """The first truthy result of `predicate`, polled until the timeout; otherwise the
    test fails, saying what it waited for and how long, with the worker's log. A worker
    process that exits meanwhile fails the test at once."""
    timeout = worker_timeout() if timeout is None else timeout
    started = time.monotonic()
    while True:
        result = predicate()
        if result:
            return result
        if worker is not None and worker.process is not None:
            code = worker.process.poll()
            if code is not None:
                pytest.fail(
                    f"The Celery worker exited (code {code}) while the test waited for "
                    f"{what}. Its log:\n{worker.log()}"
                )
        if time.monotonic() - started >= timeout:
            break
        time.sleep(interval)
    log = f" The worker's log:\n{worker.log()}" if worker is not None else ""
    pytest.fail(
        f"Waited {timeout:.0f} s for {what}, which did not happen (set "
        f"COPRODUCE_WORKER_TIMEOUT to wait longer on a slow machine).{log}"
    )


@pytest.fixture
def broker_down():
    """Sending a message fails as it does with Redis unreachable (no worker is involved)."""
    from kombu.exceptions import OperationalError

    from coproduction.celery import Task

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(Task, "apply_async", side_effect=refused) as sent:
        yield sent
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def cache_down(settings):
    """The shared cache on a Redis where nothing listens (port 9), as when Redis is down."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/1",
        },
    }
