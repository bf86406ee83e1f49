"""Background tasks: each takes ids and calls one function (a vanished row means return)."""

from celery import shared_task

from . import notifications
from .models import Attendance, Event, IssueReport, IssueReportUpdate, StreetChampion

EMAIL_RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5}


@shared_task(**EMAIL_RETRY)
def champion_confirmation_send_task(champion_id: int) -> None:
    try:
        notifications.champion_confirmation_send(champion_id=champion_id)
    except StreetChampion.DoesNotExist:
        return


@shared_task(**EMAIL_RETRY)
def champion_invitation_send_task(event_id: int, champion_ids: list[int]) -> None:
    try:
        notifications.champion_invitation_send(event_id=event_id, champion_ids=champion_ids)
    except Event.DoesNotExist:
        return


@shared_task(**EMAIL_RETRY)
def report_received_send_task(report_id: int) -> None:
    try:
        notifications.report_received_send(report_id=report_id)
    except IssueReport.DoesNotExist:
        return


@shared_task(**EMAIL_RETRY)
def report_update_send_task(update_id: int) -> None:
    try:
        notifications.report_update_send(update_id=update_id)
    except IssueReportUpdate.DoesNotExist:
        return


@shared_task(**EMAIL_RETRY)
def registration_confirmation_send_task(attendance_id: int) -> None:
    try:
        notifications.registration_confirmation_send(attendance_id=attendance_id)
    except Attendance.DoesNotExist:
        return


@shared_task
def event_status_notice_send_task(event_id: int, status: str) -> None:
    """One email task per person with a place, so a mail server failing part-way retries
    only the emails not sent, and no one is told twice."""
    try:
        places = notifications.event_status_notice_places(event_id=event_id, status=status)
    except Event.DoesNotExist:
        return
    for attendance_id in places:
        event_status_notice_place_send_task.delay(attendance_id, status)


@shared_task(**EMAIL_RETRY)
def event_status_notice_place_send_task(attendance_id: int, status: str) -> None:
    try:
        notifications.event_status_notice_send(attendance_id=attendance_id, status=status)
    except Attendance.DoesNotExist:
        return


@shared_task
def volunteering_safety_check_task() -> None:
    """Nightly (Celery beat): flag assessments due for review, lapsing training and
    overdue kits, and email their owners. Running it twice flags and emails once."""
    from .volunteering.services import safety_checks_run

    safety_checks_run()


@shared_task(**EMAIL_RETRY)
def assessment_reopened_send_task(assessment_id: int) -> None:
    from .models import RiskAssessment
    from .volunteering.notifications import assessment_reopened_send

    try:
        assessment_reopened_send(assessment_id=assessment_id)
    except RiskAssessment.DoesNotExist:
        return
