"""Emails to residents: plain text, links built from SITE_URL (never a request's Host)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Attendance, Event, IssueReport, IssueReportUpdate, StreetChampion

logger = logging.getLogger(__name__)


def _send(*, template: str, to: str, context: dict) -> None:
    context = {
        **context,
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string(f"engagement/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"engagement/email/{template}.txt", context)
    EmailMessage(subject, body, to=[to]).send()
    logger.info("engagement email sent", extra={"template": template})


def champion_confirmation_send(*, champion_id: int) -> None:
    from .services import champion_confirmation_token

    champion = StreetChampion.objects.select_related("participant").get(pk=champion_id)
    if champion.status != StreetChampion.Status.UNCONFIRMED or not champion.participant.email:
        return
    path = reverse(
        "engagement:champion_confirm", args=[champion_confirmation_token(champion=champion)]
    )
    _send(
        template="champion_confirm",
        to=champion.participant.email,
        context={"champion": champion, "confirm_url": f"{settings.SITE_URL}{path}"},
    )


def champion_invitation_send(*, event_id: int, champion_ids: list[int]) -> None:
    event = Event.objects.get(pk=event_id)
    path = reverse("engagement:event_detail_public", args=[event.pk])
    for champion in StreetChampion.objects.select_related("participant").filter(
        pk__in=champion_ids, status=StreetChampion.Status.ACTIVE
    ):
        if champion.participant.email:
            _send(
                template="champion_invitation",
                to=champion.participant.email,
                context={
                    "champion": champion,
                    "event": event,
                    "event_url": f"{settings.SITE_URL}{path}",
                },
            )


def event_status_notice_places(*, event_id: int, status: str) -> list[int]:
    """The places (attendance ids) whose holders hear that an event is cancelled, or going
    ahead after all: each with an email address. None when the event changed again before
    this ran (the later change tells them)."""
    event = Event.objects.get(pk=event_id)
    if event.status != status:
        return []
    return list(
        event.attendances.filter(status=Attendance.Status.REGISTERED)
        .exclude(participant__email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def event_status_notice_send(*, attendance_id: int, status: str) -> None:
    """Tell one person with a place that the event is cancelled, or going ahead after all;
    nothing if the event changed again, or they gave up their place, meanwhile."""
    attendance = Attendance.objects.select_related("event", "participant").get(pk=attendance_id)
    event = attendance.event
    if event.status != status or attendance.status != Attendance.Status.REGISTERED:
        return
    template = "event_cancelled" if status == Event.Status.CANCELLED else "event_reinstated"
    path = reverse("engagement:event_detail_public", args=[event.pk])
    _send(
        template=template,
        to=attendance.participant.email,
        context={
            "attendance": attendance,
            "event": event,
            "event_url": f"{settings.SITE_URL}{path}",
        },
    )


def report_received_send(*, report_id: int) -> None:
    report = IssueReport.objects.select_related("reporter", "category", "state").get(pk=report_id)
    if report.reporter is None or not report.reporter.email:
        return
    _send(
        template="report_received",
        to=report.reporter.email,
        context={
            "report": report,
            "report_url": f"{settings.SITE_URL}{report.get_absolute_url()}",
        },
    )


def report_update_send(*, update_id: int) -> None:
    update = IssueReportUpdate.objects.select_related(
        "report__reporter", "report__category", "to_state", "from_state"
    ).get(pk=update_id)
    report = update.report
    if report.reporter is None or not report.reporter.email:
        return
    _send(
        template="report_update",
        to=report.reporter.email,
        context={
            "report": report,
            "update": update,
            "report_url": f"{settings.SITE_URL}{report.get_absolute_url()}",
        },
    )


def registration_confirmation_send(*, attendance_id: int) -> None:
    attendance = Attendance.objects.select_related("event", "participant").get(pk=attendance_id)
    if attendance.status != Attendance.Status.REGISTERED or not attendance.participant.email:
        return
    path = reverse("engagement:event_detail_public", args=[attendance.event_id])
    _send(
        template="event_registered",
        to=attendance.participant.email,
        context={
            "attendance": attendance,
            "event": attendance.event,
            "event_url": f"{settings.SITE_URL}{path}",
        },
    )
