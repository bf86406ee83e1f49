"""With Redis stopped (broker and cache) the site serves its pages, /healthz reports the
broker, background jobs are accepted and shown as queued, and a resident's report is
acknowledged by email from the web process; when Redis returns the jobs run, once.

The test runs a Redis of its own on a free port (never the CI's shared one), with a real
worker and the web side pointed at it, and stops and restarts it (docs/operations.md)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from communities.models import CommunityOfInterest
from coproduction.celery import app as celery_app
from coproduction.jobs.models import Job
from coproduction.jobs.services import job_create, job_dispatch_pending
from tests.engagement.factories import IssueReportFactory
from tests.reliability.servers import OwnRedis
from tests.worker import WorkerProcess, database_url_for_tests, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def point_celery_at(url: str) -> None:
    """The web side's Celery app sends to `url` from now on (fresh connections)."""
    # Celery reads CELERY_BROKER_URL from the environment before its configuration.
    os.environ["CELERY_BROKER_URL"] = url
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def own_redis(tmp_path, settings, monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", os.environ.get("CELERY_BROKER_URL", ""))
    redis = OwnRedis(tmp_path).start()
    previous = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    settings.CELERY_BROKER_URL = redis.url
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis.url.rsplit("/", 1)[0] + "/1",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    point_celery_at(redis.url)
    yield redis
    redis.stop()
    celery_app.conf.task_always_eager = previous[1]
    point_celery_at(previous[0])


class WorkerOnOwnBroker(WorkerProcess):
    """Ready when its log says so (the test process's own Celery connections are being
    repointed, so it does not ping)."""

    def start(self) -> "WorkerOnOwnBroker":
        self.log_path.write_text("")
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "coproduction", "worker",
                    "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
                    "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "-n", self.hostname,
                ],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        ready = wait_for(lambda: " ready." in self.log_path.read_text(), timeout=120)
        assert ready, self.log()
        return self


@pytest.fixture
def worker_on_own_redis(own_redis, tmp_path):
    worker = WorkerOnOwnBroker(
        broker_url=own_redis.url,
        database_url=database_url_for_tests(),
        mail_dir=tmp_path / "mail",
        name="coproduce-outage",
    )
    (tmp_path / "mail").mkdir()
    point_celery_at(own_redis.url)
    yield worker
    worker.stop()


def test_redis_down_pages_serve_jobs_queue_then_run_once_when_it_returns(
    own_redis, worker_on_own_redis, client, officer
):
    # given: a worker on the test's own Redis
    worker = worker_on_own_redis
    point_celery_at(own_redis.url)
    worker.start()
    client.force_login(officer)
    assert client.get("/healthz").status_code == 200
    # when: Redis stops
    own_redis.stop()
    point_celery_at(own_redis.url)
    health = client.get("/healthz")
    home = client.get(reverse("home"))
    job = job_create(kind="tests.echo", created_by=officer, params={"name": "Allotments"})
    progress = client.get(reverse("jobs:detail", args=[job.pk]))
    polled = client.get(reverse("jobs:status", args=[job.pk]))
    mail.outbox.clear()
    IssueReportFactory(reporter__email="sam@example.org")  # a resident reports litter
    # then: the site serves, the health check names the broker, the job waits as queued
    assert health.status_code == 503
    assert health.json()["checks"] == {"database": "ok", "broker": "unavailable"}
    assert home.status_code == 200
    assert progress.status_code == 200
    assert "Queued" in progress.content.decode()
    assert polled.json()["status"] == Job.Status.QUEUED
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    job.refresh_from_db()
    assert (job.status, job.enqueued_at) == (Job.Status.QUEUED, None)
    # when: Redis is back (same port) and beat's dispatcher runs
    own_redis.start()
    point_celery_at(own_redis.url)
    sent = wait_for(job_dispatch_pending, timeout=30, interval=1)
    # then: the job runs, once
    assert sent == 1
    done = wait_for(
        lambda: Job.objects.filter(pk=job.pk, status=Job.Status.DONE).exists(), timeout=90
    )
    assert done, worker.log()
    assert CommunityOfInterest.objects.filter(name="Allotments").count() == 1
    assert job_dispatch_pending() == 0
    assert client.get("/healthz").status_code == 200
