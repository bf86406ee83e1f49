from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignOffRequest(models.Model):
    """An elected member's approval asked for: a stage gate, spend over the threshold, a
    funding decision from an area or neighbourhood budget, or a board decision to ratify.

    The member who raised a request never decides it (four eyes), enforced here and in
    governance.services.
    """

    class Kind(models.TextChoices):
        STAGE_GATE = "stage_gate", _("Project stage gate")
        SPEND = "spend", _("Spend over the threshold")
        FUNDING_DECISION = "funding_decision", _("Funding decision")
        RATIFICATION = "ratification", _("Board decision to ratify")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(max_length=30, choices=Kind)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    # What is being signed off, for one subject: e.g. "stage:design" for leaving design, or
    # "funding:42" for one funding line. One pending request per subject and key.
    key = models.CharField(max_length=100)
    summary = models.TextField(help_text=_("What the member is asked to approve, and why."))
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # Members for these areas (or with delegated authority over them) may decide.
    areas = models.ManyToManyField("communities.Area", related_name="signoff_requests")
    # Members who may not decide this request although their areas would let them: the
    # holder of the neighbourhood budget it spends, say. Another member, or one with
    # delegated authority, decides.
    excluded_deciders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signoffs_requested"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signoffs_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="governance_signoff_four_eyes",
                violation_error_message=_("The person who asked for a sign-off cannot give it."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                    | Q(status="withdrawn", decided_by__isnull=True)
                    | Q(
                        status__in=["approved", "rejected"],
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                    )
                ),
                name="governance_signoff_decision_matches_status",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind", "key"],
                condition=Q(status="pending"),
                name="governance_signoff_one_pending_per_key",
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind", "key"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary[:60]}"


class SignOffDelegation(models.Model):
    """Authority given to an elected member to sign off for areas beyond their own wards
    (a cabinet member for a portfolio, a deputy while a ward member is away), for some
    kinds of request, up to an amount, for a period."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signoff_delegations"
    )
    areas = models.ManyToManyField("communities.Area", related_name="signoff_delegations")
    # SignOffRequest.Kind values; empty means every kind.
    kinds = models.JSONField(default=list, blank=True)
    max_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=255)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="governance_delegation_dates_order",
            ),
            models.CheckConstraint(
                condition=~Q(member=F("granted_by")),
                name="governance_delegation_not_to_oneself",
            ),
        ]

    def __str__(self) -> str:
        return f"Delegation to {self.member}: {self.reason}"
