"""Background jobs on a real worker: exactly once, even when the worker is killed."""

import pytest

from communities.models import CommunityOfInterest
from coproduction.jobs.models import Job
from coproduction.jobs.services import job_create, job_recover_stalled

pytestmark = pytest.mark.worker


def test_job_runs_on_the_real_worker(celery_worker, officer):
    # when
    job = job_create(kind="tests.echo", created_by=officer, params={"name": "Carers"})
    # then
    celery_worker.wait_for(
        lambda: Job.objects.filter(pk=job.pk, status=Job.Status.DONE).exists(),
        what="the job to be done",
    )
    assert CommunityOfInterest.objects.filter(name="Carers").count() == 1


def test_worker_killed_mid_job_leaves_nothing_half_written_then_completes_once(
    own_worker, officer
):
    # given: a job that writes, then works on for a while
    worker = own_worker.start()
    job = job_create(
        kind="tests.slow_write", created_by=officer, params={"name": "Carers", "seconds": 30}
    )
    worker.wait_for(
        lambda: Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).exists(),
        what="the job to start running",
    )
    # when: the worker dies mid-run
    worker.kill()
    # then: the job's write died with it
    assert not CommunityOfInterest.objects.filter(name="Carers").exists()
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING
    # when: a worker is back and the stalled job is sent again
    Job.objects.filter(pk=job.pk).update(params={"name": "Carers", "seconds": 0})
    worker.start()
    assert job_recover_stalled(older_than=__import__("datetime").timedelta(0)) == 1
    # then: it completes, exactly once
    worker.wait_for(
        lambda: Job.objects.filter(pk=job.pk, status=Job.Status.DONE).exists(),
        what="the job sent again to be done",
    )
    assert CommunityOfInterest.objects.filter(name="Carers").count() == 1
    assert Job.objects.get(pk=job.pk).attempts == 2
