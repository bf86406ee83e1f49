"""Elected members' sign-off: the one service every part of Coproduce asks for approval
through (project stage gates, spend over the threshold, funding decisions, ratification).

Requests are raised by officers (or the system on their behalf) and decided by an elected
member for the areas concerned, or one with delegated authority over them, who did not
raise the request. Every request has a deadline; the members who may decide it are told
when it is raised, and again (with the officers for its areas) when it is overdue.
"""

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from communities.models import Area
from coproduction.accounts.roles import Role

from .audit import audit_record
from .models import SignOffDelegation, SignOffRequest

logger = logging.getLogger(__name__)

# Days a member has to decide a request that names no deadline of its own.
DEFAULT_DEADLINE_DAYS = 14


class SignOffRefusedError(ValidationError):
    """A decision that may not be made, with the reason in words a member understands."""


# Sent in the decision's transaction once a request is approved or rejected, with
# `request` (the decided SignOffRequest). The app that asked acts on the decision there
# and then (a funding line is committed once its funding decision is approved); raising
# ValidationError undoes the decision and tells the member why (money no longer left in
# the budget, say).
signoff_decided = Signal()


def _subject_filter(subject: models.Model) -> dict:
    return {
        "subject_type": ContentType.objects.get_for_model(subject),
        "subject_id": subject.pk,
    }


def signoff_for(*, subject: models.Model, kind: str, key: str) -> SignOffRequest | None:
    """The latest request for this subject and key (any status), or None."""
    return (
        SignOffRequest.objects.filter(**_subject_filter(subject), kind=kind, key=key)
        .order_by("-requested_at", "-pk")
        .first()
    )


def signoff_is_approved(*, subject: models.Model, kind: str, key: str) -> bool:
    latest = signoff_for(subject=subject, kind=kind, key=key)
    return latest is not None and latest.status == SignOffRequest.Status.APPROVED


@transaction.atomic
def signoff_request(
    *,
    kind: str,
    subject: models.Model,
    key: str,
    summary: str,
    requested_by,
    areas: Iterable[Area],
    amount: Decimal | None = None,
    deadline: date | None = None,
    excluded_deciders: Iterable = (),
) -> SignOffRequest:
    """Ask for a sign-off; asking again while one is pending returns the pending one.

    `excluded_deciders` are members who may not decide it although their areas would let
    them (the holder of the neighbourhood budget it spends): the four-eyes rule for them.
    """
    pending = SignOffRequest.objects.filter(
        **_subject_filter(subject), kind=kind, key=key, status=SignOffRequest.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    areas = list(areas)
    if not areas:
        raise ValidationError("A sign-off request must name the areas it concerns.")
    if deadline is None:
        deadline = timezone.localdate() + timedelta(days=DEFAULT_DEADLINE_DAYS)
    try:
        with transaction.atomic():
            request = SignOffRequest.objects.create(
                kind=kind,
                **_subject_filter(subject),
                key=key,
                summary=summary,
                amount=amount,
                deadline=deadline,
                requested_by=requested_by,
            )
    except IntegrityError:
        # A concurrent request for the same key won the race: return it.
        return SignOffRequest.objects.get(
            **_subject_filter(subject), kind=kind, key=key, status=SignOffRequest.Status.PENDING
        )
    request.areas.set(areas)
    request.excluded_deciders.set(list(excluded_deciders))
    audit_record(actor=requested_by, action="signoff.requested", obj=request)
    _notify_on_commit(request.pk, "requested")
    return request


def _notify_on_commit(request_id: int, event: str) -> None:
    from .tasks import signoff_notify_task

    signoff_notify_task.delay_on_commit(request_id, event)


def delegation_list_in_force(*, user, on: date) -> QuerySet[SignOffDelegation]:
    """The authority delegated to this member that is in force on the day."""
    return SignOffDelegation.objects.filter(member=user, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )


def _delegation_covers(*, user, request: SignOffRequest) -> bool:
    request_areas = Area.objects.filter(pk__in=request.areas.values("pk"))
    for delegation in delegation_list_in_force(user=user, on=timezone.localdate()):
        if delegation.kinds and request.kind not in delegation.kinds:
            continue
        if (
            delegation.max_amount is not None
            and request.amount is not None
            and request.amount > delegation.max_amount
        ):
            continue
        covered = delegation.areas.all().with_descendants()
        # Every area of the request must lie within the delegated areas.
        if not request_areas.exclude(pk__in=covered.values("pk")).exists():
            return True
    return False


def signoff_refusal_reason(*, user, request: SignOffRequest) -> str | None:
    """Why this person may not decide this request, or None when they may."""
    if request.status == SignOffRequest.Status.WITHDRAWN:
        return "This request was withdrawn, so it needs no decision."
    if request.status != SignOffRequest.Status.PENDING:
        return "This request has already been decided."
    if not (user.is_authenticated and user.is_active and user.has_role(Role.ELECTED_MEMBER)):
        return "Only an elected member can sign this off."
    if user.pk == request.requested_by_id:
        return "You raised this request, so another member must sign it off."
    if request.excluded_deciders.filter(pk=user.pk).exists():
        return (
            "This request concerns money you hold yourself, so another member or one with "
            "delegated authority must sign it off."
        )
    request_areas = Area.objects.filter(pk__in=request.areas.values("pk")).with_descendants()
    member_areas = user.areas.all().with_descendants()
    if request_areas.filter(pk__in=member_areas.values("pk")).exists():
        return None
    if _delegation_covers(user=user, request=request):
        return None
    return "Only a member for the areas concerned, or with delegated authority, can sign this off."


def signoff_decide(
    *, request: SignOffRequest, decided_by, approve: bool, comment: str = ""
) -> SignOffRequest:
    """Approve or reject a pending request. Raises SignOffRefusedError with the reason.

    A refusal is itself audited (outside the decision's transaction, which it leaves
    unchanged).
    """
    if not approve and not comment.strip():
        raise SignOffRefusedError("Say why you are rejecting this request.")
    try:
        with transaction.atomic():
            locked = SignOffRequest.objects.select_for_update().get(pk=request.pk)
            reason = signoff_refusal_reason(user=decided_by, request=locked)
            if reason is None:
                locked.status = (
                    SignOffRequest.Status.APPROVED if approve else SignOffRequest.Status.REJECTED
                )
                locked.decided_by = decided_by
                locked.decided_at = timezone.now()
                locked.comment = comment.strip()
                locked.save(
                    update_fields=["status", "decided_by", "decided_at", "comment", "updated_at"]
                )
                audit_record(
                    actor=decided_by,
                    action="signoff.approved" if approve else "signoff.rejected",
                    obj=locked,
                )
                signoff_decided.send(sender=SignOffRequest, request=locked)
                _notify_on_commit(locked.pk, "decided")
                return locked
    except ValidationError as exc:
        # The asking app could not act on the decision: nothing of it was kept.
        reason = " ".join(exc.messages)
    audit_record(
        actor=decided_by, action="signoff.decision_refused", obj=request, outcome="refused"
    )
    raise SignOffRefusedError(reason)


@transaction.atomic
def signoff_withdraw(*, request: SignOffRequest, withdrawn_by) -> SignOffRequest:
    """Withdraw a pending request (the person who raised it, or an officer for its
    areas). Withdrawing one already withdrawn changes nothing."""
    locked = SignOffRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status == SignOffRequest.Status.WITHDRAWN:
        return locked
    if locked.status != SignOffRequest.Status.PENDING:
        raise SignOffRefusedError("A decided request cannot be withdrawn.")
    locked.status = SignOffRequest.Status.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    audit_record(actor=withdrawn_by, action="signoff.withdrawn", obj=locked)
    return locked


def signoff_deciders(*, request: SignOffRequest):
    """The active elected members who may decide a request (not the one who raised it)."""
    from coproduction.accounts.models import User

    request_areas = Area.objects.filter(pk__in=request.areas.values("pk"))
    in_wards = User.objects.filter(
        Q(areas__in=request_areas.with_descendants()) | Q(areas__in=request_areas.with_ancestors())
    )
    today = timezone.localdate()
    delegated = (
        SignOffDelegation.objects.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("member")
    )
    return (
        User.objects.filter(is_active=True, groups__name=Role.ELECTED_MEMBER)
        .filter(Q(pk__in=in_wards.values("pk")) | Q(pk__in=delegated))
        .exclude(pk=request.requested_by_id)
        .exclude(pk__in=request.excluded_deciders.values("pk"))
        .distinct()
        .order_by("full_name")
    )


def signoff_escalate_overdue(*, today: date | None = None) -> int:
    """Mark pending requests past their deadline as escalated, and tell the members who
    may decide them and the officers for their areas. Each request is escalated once."""
    today = today or timezone.localdate()
    escalated = 0
    overdue = SignOffRequest.objects.filter(
        status=SignOffRequest.Status.PENDING, deadline__lt=today, escalated_at__isnull=True
    ).values_list("pk", flat=True)
    for request_id in list(overdue):
        with transaction.atomic():
            locked = (
                SignOffRequest.objects.select_for_update(skip_locked=True)
                .filter(pk=request_id, status=SignOffRequest.Status.PENDING, escalated_at=None)
                .first()
            )
            if locked is None:
                continue
            locked.escalated_at = timezone.now()
            locked.save(update_fields=["escalated_at", "updated_at"])
            audit_record(actor=None, action="signoff.escalated", obj=locked)
            _notify_on_commit(locked.pk, "escalated")
            escalated += 1
    if escalated:
        logger.info("sign-off requests escalated", extra={"count": escalated})
    return escalated
