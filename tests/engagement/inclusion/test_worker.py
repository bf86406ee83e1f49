"""Reports on a real Celery worker: killed mid-report with SIGKILL, nothing half-written,
done exactly once after a restart; requested with the broker down, run when it is back."""

from datetime import date, timedelta
from unittest import mock

import psycopg
import pytest
from django.db import connection

from coproduction.jobs.models import Job
from coproduction.jobs.services import job_dispatch_pending, job_recover_stalled
from engagement.inclusion.activity import activity_stale_count
from engagement.inclusion.models import Report, ScopeActivity, ScopeKind
from engagement.inclusion.services import ReportScope, report_request
from tests.engagement.inclusion.factories import census_table, person_with
from tests.services import postgresql

pytestmark = pytest.mark.worker


def _request(ward, officer) -> Report:
    return report_request(
        scope=ReportScope(ScopeKind.AREA, ward),
        start=date(2026, 1, 1),
        end=date(2026, 6, 30),
        requested_by=officer,
    )


def _data(ward) -> None:
    census_table(ward, "TS008", {"female": 520, "male": 480})
    for i in range(12):
        person_with(ward=ward, sex="female" if i % 2 else "male")


def _other_connection():
    config = connection.settings_dict
    return psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname=config["NAME"],
        autocommit=False,
    )


def _waiting_on_targets() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'inclusion_target' AND NOT l.granted"
        )
        return cursor.fetchone()[0] > 0


@postgresql(
    "holding a report mid-way needs PostgreSQL's table locks (SQLite locks the whole "
    "database when the job's transaction begins)"
)
def test_worker_killed_mid_report_leaves_no_snapshot_and_the_report_completes_once(
    own_worker, officer, ward
):
    # given: data whose summary rows the report will build first, in its transaction
    _data(ward)
    stale = activity_stale_count()
    assert stale == 12
    worker = own_worker.start()
    blocker = _other_connection()
    blocker.execute("LOCK TABLE inclusion_target IN ACCESS EXCLUSIVE MODE")
    try:
        # when: the report starts, builds the summary, counts, then waits on the lock
        report = _request(ward, officer)
        worker.wait_for(_waiting_on_targets, what="the report to wait on the locked table")
        assert Job.objects.get(pk=report.job_id).status == Job.Status.RUNNING
        # and the worker dies mid-report
        worker.kill()
    finally:
        blocker.rollback()
        blocker.close()
    # then: nothing of the report, nor of its summary refresh, was kept
    report.refresh_from_db()
    assert report.generated_at is None
    assert report.results == {}
    assert activity_stale_count() == stale
    assert not ScopeActivity.objects.exists()
    # when: a worker is back and beat sends the stalled job again
    worker.start()
    assert job_recover_stalled(older_than=timedelta(0)) == 1
    # then: the report completes, exactly once
    worker.wait_for(
        lambda: Report.objects.filter(pk=report.pk, generated_at__isnull=False).exists(),
        what="the report sent again to complete",
    )
    report.refresh_from_db()
    job = Job.objects.get(pk=report.job_id)
    assert job.status == Job.Status.DONE
    assert job.attempts == 2
    assert report.results["participants"] == 12
    assert Report.objects.count() == 1
    assert activity_stale_count() == 0


def test_report_requested_with_the_broker_down_runs_when_it_returns(
    celery_worker, officer, ward, client
):
    # given
    _data(ward)
    from coproduction.jobs import tasks

    # when: Redis refuses the message
    with mock.patch.object(
        tasks.job_run_task, "apply_async", side_effect=ConnectionError("refused")
    ):
        report = _request(ward, officer)
        client.force_login(officer)
        page = client.get(report.get_absolute_url())
    # then: accepted, shown as queued, and the site kept serving
    assert page.status_code == 200
    assert "Queued" in page.content.decode()
    job = Job.objects.get(pk=report.job_id)
    assert (job.status, job.enqueued_at) == (Job.Status.QUEUED, None)
    # when: the broker is back and beat sends what waited
    assert job_dispatch_pending() >= 1
    # then
    celery_worker.wait_for(
        lambda: Report.objects.filter(pk=report.pk, generated_at__isnull=False).exists(),
        what="the report to complete once the broker is back",
    )
