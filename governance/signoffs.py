"""Elected members' sign-off: the one service every part of Coproduce asks for approval
through (project stage gates, spend over the threshold, funding decisions, ratification).

Requests are raised by officers (or the system on their behalf) and decided by an elected
member for the areas concerned who did not raise the request.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from communities.models import Area
from coproduction.accounts.roles import Role

from .audit import audit_record
from .models import SignOffRequest


class SignOffRefusedError(ValidationError):
    """A decision that may not be made, with the reason in words a member understands."""


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
) -> SignOffRequest:
    """Ask for a sign-off; asking again while one is pending returns the pending one."""
    pending = SignOffRequest.objects.filter(
        **_subject_filter(subject), kind=kind, key=key, status=SignOffRequest.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    areas = list(areas)
    if not areas:
        raise ValidationError("A sign-off request must name the areas it concerns.")
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
    audit_record(actor=requested_by, action="signoff.requested", obj=request)
    return request


def signoff_refusal_reason(*, user, request: SignOffRequest) -> str | None:
    """Why this person may not decide this request, or None when they may."""
    if request.status != SignOffRequest.Status.PENDING:
        return "This request has already been decided."
    if not (user.is_authenticated and user.is_active and user.has_role(Role.ELECTED_MEMBER)):
        return "Only an elected member can sign this off."
    if user.pk == request.requested_by_id:
        return "You raised this request, so another member must sign it off."
    request_areas = Area.objects.filter(pk__in=request.areas.values("pk")).with_descendants()
    member_areas = user.areas.all().with_descendants()
    if not request_areas.filter(pk__in=member_areas.values("pk")).exists():
        return "Only a member for the areas concerned can sign this off."
    return None


def signoff_decide(
    *, request: SignOffRequest, decided_by, approve: bool, comment: str = ""
) -> SignOffRequest:
    """Approve or reject a pending request. Raises SignOffRefusedError with the reason.

    A refusal is itself audited (outside the decision's transaction, which it leaves
    unchanged).
    """
    if not approve and not comment.strip():
        raise SignOffRefusedError("Say why you are rejecting this request.")
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
            return locked
    audit_record(
        actor=decided_by, action="signoff.decision_refused", obj=request, outcome="refused"
    )
    raise SignOffRefusedError(reason)
