"""Creating, dispatching and running background jobs (see registry.py for the runners)."""

import logging
from datetime import timedelta

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, OperationalError, transaction
from django.utils import timezone

from coproduction.cache import cache_optional

from .models import Job
from .registry import JobInputError, job_kind

logger = logging.getLogger(__name__)

# A queued job whose message was sent this long ago without being picked up is sent again.
REDISPATCH_AFTER = timedelta(minutes=10)
# A job marked running this long whose row is not locked has lost its worker.
STALLED_AFTER = timedelta(minutes=1)
PROGRESS_CACHE_SECONDS = 60 * 60


def _progress_key(job_id) -> str:
    return f"jobs:{job_id}:progress"


def job_create(
    *,
    kind: str,
    created_by,
    params: dict | None = None,
    upload: UploadedFile | None = None,
) -> Job:
    """Save a job and send it to the worker once the transaction commits.

    If the broker cannot be reached the job stays queued (the row is the outbox) and
    job_dispatch_pending sends it later; the person sees it as queued meanwhile.
    """
    job_kind(kind)  # an unknown kind is a programming error: fail before saving
    job = Job(kind=kind, created_by=created_by, params=params or {})
    if upload is not None:
        job.upload_name = upload.name[:255]
        job.save()
        job.upload.save(upload.name, upload, save=True)
    else:
        job.save()
    transaction.on_commit(lambda: job_dispatch(job_id=job.pk))
    return job


def job_dispatch(*, job_id, status: str = Job.Status.QUEUED) -> bool:
    """Send a job's message to the worker; False (job left queued) if the broker is down."""
    from .tasks import job_run_task

    try:
        job_run_task.apply_async(kwargs={"job_id": str(job_id)}, retry=False)
    except Exception:  # kombu and redis raise their own connection errors
        if job_run_task.app.conf.task_always_eager:
            raise
        logger.warning("job %s left queued: broker unreachable", job_id, exc_info=True)
        return False
    Job.objects.filter(pk=job_id, status=status).update(enqueued_at=timezone.now())
    return True


def job_dispatch_pending() -> int:
    """Send again every queued job never sent, or sent long ago and not picked up."""
    stale = timezone.now() - REDISPATCH_AFTER
    pending = Job.objects.filter(status=Job.Status.QUEUED).filter(
        enqueued_at__isnull=True
    ) | Job.objects.filter(status=Job.Status.QUEUED, enqueued_at__lt=stale)
    sent = 0
    for job_id in pending.values_list("pk", flat=True):
        if not job_dispatch(job_id=job_id):
            break
        sent += 1
    return sent


def job_recover_stalled(*, older_than: timedelta = STALLED_AFTER) -> int:
    """Send again every job marked running whose worker is gone.

    A running job holds its row lock for the whole run; a job marked running whose row
    can be locked is not running anywhere (its worker died and its transaction with it).
    The broker would redeliver its message too, but only after the visibility timeout.
    """
    cutoff = timezone.now() - older_than
    recovered = 0
    for job_id in Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            if _lock(job_id) is None:
                continue
        if not job_dispatch(job_id=job_id, status=Job.Status.RUNNING):
            break
        recovered += 1
    return recovered


def job_progress(*, job: Job) -> dict:
    """Progress as the worker last reported it (done, total, message)."""
    reported = None
    with cache_optional("progress read from the job's row"):
        reported = cache.get(_progress_key(job.pk))
    if job.is_finished or reported is None:
        done, total, message = job.progress_done, job.progress_total, job.message
    else:
        done, total, message = reported
    percent = None
    if total:
        percent = min(100, round(100 * done / total))
    if job.status == Job.Status.DONE:
        percent = 100
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": done,
        "total": total,
        "percent": percent,
        "message": message,
        "finished": job.is_finished,
    }


class _Reporter:
    """Reports progress through the cache: the run's own transaction is not yet visible."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = (0, None, "")

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        self.last = (done, total, message)
        with cache_optional("progress not shown until the job ends"):
            cache.set(_progress_key(self.job.pk), self.last, PROGRESS_CACHE_SECONDS)


def _lock(job_id) -> Job | None:
    """The job's row, locked for this transaction; None if gone or locked elsewhere."""
    try:
        return Job.objects.select_for_update(nowait=True).get(pk=job_id)
    except Job.DoesNotExist:
        return None
    except (OperationalError, DatabaseError):
        logger.info("job %s is already running elsewhere", job_id)
        return None


def job_run(*, job_id) -> Job | None:
    """Run a job exactly once.

    The work runs in one transaction holding the job's row lock: a duplicate message
    finds the row locked and leaves; a worker killed mid-run loses its transaction (and
    its lock) with its connection, so nothing is half-written and the redelivered message
    runs the job again from the start.
    """
    # First, and committed at once, so the job's page shows it running.
    with transaction.atomic():
        job = _lock(job_id)
        if job is None or job.is_finished:
            return job
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING,
            started_at=timezone.now(),
            attempts=job.attempts + 1,
        )
    with transaction.atomic():
        job = _lock(job_id)
        if job is None or job.is_finished:
            return job
        kind = job_kind(job.kind)
        reporter = _Reporter(job)
        try:
            with transaction.atomic():
                result = kind.run(job, reporter)
        except JobInputError as exc:
            _finish(job, status=Job.Status.FAILED, message=exc.message, errors=exc.errors)
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _finish(
                job,
                status=Job.Status.FAILED,
                message="Something went wrong and nothing was changed. Try again, or "
                "contact the service's administrator if it keeps happening.",
                errors=[],
            )
        else:
            done, total, _message = reporter.last
            job.progress_done = total or done
            job.progress_total = total
            _finish(job, status=Job.Status.DONE, message="", errors=[], result=result or {})
    if job.upload:
        # Data minimisation: an uploaded file may hold personal data; the job is done
        # with it either way.
        job.upload.delete(save=False)
        Job.objects.filter(pk=job.pk).update(upload="")
    # A finished job's progress is read from its row; the entry expires anyway.
    with cache_optional("progress entry left to expire"):
        cache.delete(_progress_key(job.pk))
    return job


def _finish(job: Job, *, status: str, message: str, errors: list, result: dict | None = None):
    job.status = status
    job.message = message[:255]
    job.errors = errors
    job.result = result or {}
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "errors",
            "result",
            "finished_at",
            "progress_done",
            "progress_total",
        ]
    )
