"""Emails about sign-off requests: to the members who may decide one when it is raised and
when it is overdue, and to the person who raised it when it is decided."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from coproduction.accounts.selectors import officer_list_covering

from .models import SignOffRequest
from .signoffs import signoff_deciders, signoff_refusal_reason

logger = logging.getLogger(__name__)


def signoff_notify(*, request_id: int, event: str) -> int:
    """Send the emails for one event ("requested", "escalated" or "decided") of a
    request; returns how many were sent."""
    request = SignOffRequest.objects.select_related("requested_by", "decided_by").get(
        pk=request_id
    )
    if event == "decided":
        recipients = [request.requested_by]
    else:
        if request.status != SignOffRequest.Status.PENDING:
            return 0
        recipients = [
            member
            for member in signoff_deciders(request=request)
            if signoff_refusal_reason(user=member, request=request) is None
        ]
        if event == "escalated":
            recipients += list(officer_list_covering(areas=request.areas.all()))
    context = {
        "request": request,
        "event": event,
        "url": settings.SITE_URL + reverse("governance:signoff_decide", args=[request.pk]),
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
    }
    subject = render_to_string("governance/email/signoff_subject.txt", context).strip()
    body = render_to_string("governance/email/signoff.txt", context)
    sent = 0
    for person in {p.pk: p for p in recipients if p.email and p.is_active}.values():
        sent += send_mail(subject, body, None, [person.email])
    logger.info("sign-off emails sent", extra={"request_id": request.pk, "count": sent})
    return sent
