from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import CommunityOfInterest
from coproduction.jobs.models import Job
from coproduction.jobs.services import (
    job_create,
    job_dispatch_pending,
    job_progress,
    job_recover_stalled,
    job_run,
)

pytestmark = pytest.mark.django_db


def test_job_create_runs_the_job_once_committed(officer, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(kind="tests.echo", created_by=officer, params={"name": "Carers"})
    # then
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result == {"created": 1}
    assert job.attempts == 1
    assert job_progress(job=job)["percent"] == 100
    assert CommunityOfInterest.objects.filter(name="Carers").exists()


def test_job_with_bad_input_fails_with_its_errors_and_writes_nothing(
    officer, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(kind="tests.bad_input", created_by=officer, params={"name": "X"})
    # then
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "The file has 1 error"
    assert job.errors == [{"line": 2, "column": "postcode", "message": "Enter a full postcode"}]
    assert not CommunityOfInterest.objects.exists()


def test_job_that_crashes_fails_politely_and_writes_nothing(
    officer, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(kind="tests.crash", created_by=officer, params={"name": "X"})
    # then
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "nothing was changed" in job.message
    assert "boom" not in job.message
    assert not CommunityOfInterest.objects.exists()


def test_job_run_twice_runs_once(officer, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(kind="tests.echo", created_by=officer, params={"name": "Carers"})
    # when
    job_run(job_id=job.pk)
    # then
    assert CommunityOfInterest.objects.filter(name="Carers").count() == 1
    job.refresh_from_db()
    assert job.attempts == 1


def test_job_upload_is_deleted_once_read(
    officer, django_capture_on_commit_callbacks, settings, tmp_path
):
    # given
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("sheet.csv", b"reference,postcode\n1,DL1 5QT\n")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        job = job_create(
            kind="tests.echo", created_by=officer, params={"name": "A"}, upload=upload
        )
    # then
    job.refresh_from_db()
    assert job.upload_name == "sheet.csv"
    assert not job.upload
    assert not any(tmp_path.rglob("sheet*.csv"))


def test_job_left_queued_when_the_broker_is_down_and_sent_when_it_returns(
    officer, django_capture_on_commit_callbacks
):
    # given: sending the message fails as it does with Redis down
    from coproduction.jobs import tasks

    celery_conf = tasks.job_run_task.app.conf
    celery_conf.task_always_eager = False
    try:
        with (
            mock.patch.object(
                tasks.job_run_task, "apply_async", side_effect=ConnectionError("refused")
            ),
            django_capture_on_commit_callbacks(execute=True),
        ):
            job = job_create(kind="tests.echo", created_by=officer, params={"name": "Carers"})
    finally:
        celery_conf.task_always_eager = True
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.enqueued_at is None
    # when: the broker is back and beat runs
    sent = job_dispatch_pending()
    # then
    job.refresh_from_db()
    assert sent == 1
    assert job.status == Job.Status.DONE


def test_job_recover_stalled_sends_again_a_job_whose_worker_died(officer):
    # given: marked running, but no worker holds its lock
    job = Job.objects.create(kind="tests.echo", created_by=officer, params={"name": "Carers"})
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at="2020-01-01T00:00:00Z"
    )
    # when
    recovered = job_recover_stalled()
    # then
    job.refresh_from_db()
    assert recovered == 1
    assert job.status == Job.Status.DONE
    assert CommunityOfInterest.objects.filter(name="Carers").count() == 1
