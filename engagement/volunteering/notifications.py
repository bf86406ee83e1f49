"""Emails about volunteers' safety: plain text, links built from SITE_URL."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from engagement.models import RiskAssessment, SafetyAlert

logger = logging.getLogger(__name__)


def _send(*, template: str, to: list[str], context: dict) -> int:
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    context = {
        **context,
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "site_url": settings.SITE_URL,
    }
    subject = render_to_string(
        f"engagement/volunteering/email/{template}_subject.txt", context
    ).strip()
    body = render_to_string(f"engagement/volunteering/email/{template}.txt", context)
    # One message per person: no one sees who else was told.
    for address in recipients:
        EmailMessage(subject, body, to=[address]).send()
    logger.info("volunteering email sent", extra={"template": template, "to": len(recipients)})
    return len(recipients)


def _url(name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def safety_alert_send(*, alert: SafetyAlert) -> int:
    """Email the owners of what the nightly check flagged; returns how many were sent."""
    if alert.kind == SafetyAlert.Kind.ASSESSMENT_REVIEW:
        assessment = RiskAssessment.objects.select_related("task", "area", "owner", "author").get(
            pk=alert.assessment_id
        )
        if assessment.status != RiskAssessment.Status.APPROVED:
            return 0
        owner = assessment.owner or assessment.approved_by
        return _send(
            template="assessment_review",
            to=[owner.email if owner else ""],
            context={
                "assessment": assessment,
                "owner": owner,
                "url": _url("engagement:assessment_detail", assessment.pk),
            },
        )
    if alert.kind == SafetyAlert.Kind.TRAINING_LAPSING:
        record = alert.training_record
        participant = record.participant
        context = {"record": record, "participant": participant}
        # The volunteer follows a link to their own volunteering page; whoever recorded the
        # training, to the volunteer's page that staff use.
        sent = _send(
            template="training_lapsing",
            to=[participant.email],
            context={**context, "url": _url("engagement:my_volunteering")},
        )
        recorder = record.recorded_by.email if record.recorded_by else ""
        if recorder and recorder != participant.email:
            sent += _send(
                template="training_lapsing",
                to=[recorder],
                context={**context, "url": _url("engagement:volunteer_detail", participant.pk)},
            )
        return sent
    loan = alert.loan
    if loan.returned_on is not None:
        return 0
    # The holder follows a link to their own volunteering page, which lists the kit; the
    # officer who lent it, to the kit's page that staff use.
    holder = loan.holder.email
    sent = _send(
        template="loan_overdue",
        to=[holder],
        context={"loan": loan, "url": _url("engagement:my_volunteering")},
    )
    lender = loan.lent_by.email if loan.lent_by else ""
    if lender and lender != holder:
        sent += _send(
            template="loan_overdue",
            to=[lender],
            context={"loan": loan, "url": _url("engagement:toolkit_detail", loan.toolkit_id)},
        )
    return sent


def assessment_reopened_send(*, assessment_id: int) -> int:
    assessment = RiskAssessment.objects.select_related(
        "task", "area", "owner", "approved_by", "reopened_by_incident"
    ).get(pk=assessment_id)
    owner = assessment.owner or assessment.approved_by
    return _send(
        template="assessment_reopened",
        to=[owner.email if owner else ""],
        context={
            "assessment": assessment,
            "owner": owner,
            "url": _url("engagement:assessment_detail", assessment.pk),
        },
    )
