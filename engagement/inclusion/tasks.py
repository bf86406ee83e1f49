"""Periodic work for the inclusion reports (beat: see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .activity import activity_refresh
from .services import schedule_ensure, schedule_run


@shared_task(expires=50)
def activity_refresh_task() -> int:
    """Every minute: rebuild the summary rows of participants whose ledger changed."""
    return activity_refresh()


@shared_task(expires=60 * 60)
def report_schedule_task() -> int:
    """Monthly: a schedule for every area and active project, then their reports."""
    schedule_ensure()
    return len(schedule_run())
