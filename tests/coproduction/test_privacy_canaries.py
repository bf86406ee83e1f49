"""Special-category data never reaches the logs or the audit trail.

Unique canary values go into the fields that hold special-category or sensitive data
today (equality answers, accessibility needs, risk assessments' hazards and controls,
incidents' injury details); the pages and services that touch them run with every
logger at DEBUG; no canary may appear in what was logged or in any audit event."""

import logging
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement import services
from engagement.models import EqualityResponse, RiskAssessment, RiskAssessmentHazard
from engagement.volunteering import services as volunteering
from governance.models import AuditEvent
from tests.engagement.factories import (
    ParticipantFactory,
    RiskAssessmentFactory,
    VolunteerActivityFactory,
)

CANARIES = {
    "accessibility": "canary-needs-6b1e: uses a hearing loop and a wheelchair",
    "hazard": "canary-hazard-93d0 asbestos in the old boiler house",
    "controls": "canary-controls-4f27 keep the boiler house locked",
    "who": "canary-who-a8c5 volunteers with epilepsy",
    "injury": "canary-injury-71fa cut to the left hand, three stitches",
    "incident": "canary-incident-0c3d needle found by the swings",
    "equality": "canary-ethnicity-5e92",
}
# A year of birth nobody else in the tests has, searched for as text.
YEAR_OF_BIRTH = 1913


# A log record's own bookkeeping (times, thread and process ids) is numbers that may
# contain the year's digits by chance; factory_boy's records come from the tests.
BOOKKEEPING = {"created", "relativeCreated", "msecs", "thread", "process", "asctime"}


def everything_logged(caplog) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.args!r} "
        f"{ {k: v for k, v in vars(record).items() if k not in BOOKKEEPING}!r}"
        for record in caplog.records
        if record.name.split(".")[0] != "factory"
    )


def mentions(text: str, canary: str) -> bool:
    """The canary as a value of its own, not digits in the middle of a longer number."""
    return re.search(rf"(?<![\d.]){re.escape(canary)}(?!\d)", text) is not None


def audit_text() -> str:
    return "\n".join(
        repr(row) for row in AuditEvent.objects.values_list(named=False).order_by("pk")
    )


@pytest.mark.django_db
def test_no_canary_reaches_the_logs_or_the_audit_trail(client, officer, ward, caplog):
    # given: every logger at DEBUG (caplog restores the level afterwards)
    caplog.set_level(logging.DEBUG)
    participant = ParticipantFactory(home_ward=ward)
    EqualityResponse.objects.create(
        pseudonym=participant.pseudonym,
        lawful_basis=EqualityResponse.LawfulBasis.EXPLICIT_CONSENT,
        ethnic_group=CANARIES["equality"],
        year_of_birth=YEAR_OF_BIRTH,
    )
    assessment = RiskAssessmentFactory(area=ward, status=RiskAssessment.Status.DRAFT)
    RiskAssessmentHazard.objects.filter(assessment=assessment).update(
        hazard=CANARIES["hazard"],
        controls=CANARIES["controls"],
        who_might_be_harmed=CANARIES["who"],
    )
    activity = VolunteerActivityFactory(area=ward)
    client.force_login(officer)
    # when: an officer changes the person's needs, reads them and their data, reports an
    # incident with injuries, and reads the assessment and the incident
    services.participant_update(
        participant=participant,
        actor=officer,
        data={"accessibility_needs": CANARIES["accessibility"]},
    )
    incident = volunteering.incident_report(
        activity=activity,
        actor=officer,
        kind="accident",
        occurred_at=timezone.now() - timedelta(hours=2),
        description=CANARIES["incident"],
        injury_details=CANARIES["injury"],
        first_aid_given=True,
    )
    urls = [
        reverse("engagement:participant_detail", args=[participant.pk]),
        reverse("engagement:participant_edit", args=[participant.pk]),
        reverse("engagement:participant_download", args=[participant.pk, "csv"]),
        reverse("engagement:assessment_detail", args=[assessment.pk]),
        reverse("engagement:incident_detail", args=[incident.pk]),
    ]
    statuses = [client.get(url).status_code for url in urls]
    # and the person answers the equality questions again themselves
    services.equality_response_record(
        participant=participant,
        answers=services.EqualityAnswers(year_of_birth=YEAR_OF_BIRTH),
        actor=officer,
    )
    # then: the pages were served, and things were logged and audited
    assert statuses == [200] * len(urls)
    logged = everything_logged(caplog)
    audited = audit_text()
    assert caplog.records
    assert AuditEvent.objects.exists()
    # and no canary is among them
    for canary in [*CANARIES.values(), str(YEAR_OF_BIRTH)]:
        assert not mentions(logged, canary), canary
        assert not mentions(audited, canary), canary
