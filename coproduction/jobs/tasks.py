from celery import shared_task

from .services import job_dispatch_pending, job_recover_stalled, job_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def job_run_task(job_id: str) -> None:
    """Run one job; safe to deliver twice (see services.job_run)."""
    job_run(job_id=job_id)


@shared_task(expires=50)
def job_dispatch_pending_task() -> int:
    """Beat, every minute: send jobs left queued while the broker was down, and jobs whose
    worker died mid-run."""
    return job_dispatch_pending() + job_recover_stalled()
