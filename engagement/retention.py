"""How long engagement's records about residents are kept (coproduction.retention,
docs/retention.md). Expired records go through the privacy register's erasers, so
retention removes exactly what a request for erasure would."""

from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from coproduction.privacy import DataSubject, personal_data
from coproduction.retention import retention

from .models import (
    Attendance,
    EqualityResponse,
    IssueReport,
    Participant,
    ParticipationRecord,
    StreetChampion,
)


def _erase(label: str, participant: Participant) -> None:
    personal_data.erasers[label](DataSubject.for_participant(participant))


@retention.rule(
    "engagement.champions_unconfirmed",
    days=30,
    kept="Street champion sign-ups whose email address was never confirmed: the sign-up, "
    "and the person's details when nothing else is held about them",
)
def champions_unconfirmed(*, cutoff: datetime) -> int:
    expired = StreetChampion.objects.filter(
        status=StreetChampion.Status.UNCONFIRMED, signed_up_at__lt=cutoff
    ).select_related("participant")
    count = 0
    for champion in expired:
        participant = champion.participant
        champion.delete()
        count += 1
        # Someone known only through this sign-up: nothing to keep.
        if (
            participant.user_id is None
            and participant.email_confirmed_at is None
            and participant.erased_at is None
            and not ParticipationRecord.objects.filter(participant=participant).exists()
            and not Attendance.objects.filter(participant=participant).exists()
            and not IssueReport.objects.filter(reporter=participant).exists()
        ):
            personal_data.erase(DataSubject.for_participant(participant))
    return count


@retention.rule(
    "engagement.champions_ended",
    days=2 * 365,
    kept="Street champions who stopped: their patch, activities and kit, after they ended",
)
def champions_ended(*, cutoff: datetime) -> int:
    expired = StreetChampion.objects.filter(
        status=StreetChampion.Status.ENDED, status_changed_at__lt=cutoff
    ).select_related("participant")
    count = 0
    for champion in expired:
        _erase("engagement.streetchampion", champion.participant)
        count += 1
    return count


@retention.rule(
    "engagement.issue_report_reporters",
    days=365,
    kept="Who reported a street problem, and its photos, once the problem was fixed or "
    "closed; the report itself stays, with no reporter, for the area's figures",
)
def issue_report_reporters(*, cutoff: datetime) -> int:
    closed = IssueReport.objects.filter(
        Q(fixed_at__lt=cutoff) | Q(state__is_open=False, updated_at__lt=cutoff)
    )
    expired = closed.filter(Q(reporter__isnull=False) | Q(photos__isnull=False)).distinct()
    count = 0
    for report in expired.prefetch_related("photos"):
        for photo in report.photos.all():
            photo.image.delete(save=False)
            photo.delete()
        IssueReport.objects.filter(pk=report.pk).update(
            reporter=None, anonymous=True, updated_at=timezone.now()
        )
        count += 1
    return count


@retention.rule(
    "engagement.event_registrations",
    days=365,
    kept="Registrations for events that were cancelled or never marked as attended, "
    "after the event; attendance itself stays as the participation record",
)
def event_registrations(*, cutoff: datetime) -> int:
    deleted, _ = Attendance.objects.filter(
        event__ends_at__lt=cutoff,
        status__in=[Attendance.Status.REGISTERED, Attendance.Status.CANCELLED],
    ).delete()
    return deleted


@retention.rule(
    "engagement.equality_inactive",
    days=3 * 365,
    kept="Equality monitoring answers of people who have taken part in nothing for this "
    "long (and whose profile has not changed)",
)
def equality_inactive(*, cutoff: datetime) -> int:
    answered = EqualityResponse.objects.filter(pseudonym=OuterRef("pseudonym"))
    inactive = (
        Participant.objects.filter(Exists(answered), updated_at__lt=cutoff)
        .annotate(last_active=Max("participation_records__occurred_at"))
        .filter(Q(last_active__isnull=True) | Q(last_active__lt=cutoff))
    )
    count = 0
    for participant in inactive:
        _erase("engagement.equalityresponse", participant)
        count += 1
    return count
