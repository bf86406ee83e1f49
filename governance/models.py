import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PartnerAgency(models.Model):
    """An organisation that works with the council: police, NHS, fire, a charity..."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        FIRE = "fire", _("Fire and rescue")
        NHS = "nhs", _("NHS")
        PROBATION = "probation", _("Probation")
        HOUSING = "housing", _("Housing provider")
        VOLUNTARY = "voluntary", _("Voluntary and community sector")
        PARISH = "parish", _("Town or parish council")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("partner agencies")

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """A standing partnership for an area: an Area Action Partnership, a Safer
    Neighbourhood partnership, a Neighbourhood Action Group..."""

    class Kind(models.TextChoices):
        AREA_ACTION_PARTNERSHIP = "aap", _("Area Action Partnership")
        SAFER_NEIGHBOURHOOD = "safer_neighbourhood", _("Safer Neighbourhood partnership")
        NEIGHBOURHOOD_ACTION_GROUP = "nag", _("Neighbourhood Action Group")
        OTHER = "other", _("Other partnership")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind)
    area = models.ForeignKey(
        "communities.Area", on_delete=models.PROTECT, related_name="partnerships"
    )
    agencies = models.ManyToManyField(PartnerAgency, blank=True, related_name="partnerships")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PriorityCycle(models.Model):
    """One round of setting a partnership's priorities: a forum's proposals and votes,
    the board's review, and the priorities adopted for the period."""

    class Status(models.TextChoices):
        PROPOSING = "proposing", _("Taking proposals")
        VOTING = "voting", _("Voting")
        BOARD_REVIEW = "board_review", _("Board review")
        DECIDED = "decided", _("Decided")
        CLOSED = "closed", _("Closed")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="priority_cycles"
    )
    title = models.CharField(max_length=200)
    # The period the adopted priorities cover (South Derbyshire: the next three months).
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=20, choices=Status, default=Status.PROPOSING)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="governance_priority_cycle_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.title}"


class Budget(models.Model):
    """Money the council devolves for a year: an area budget for a partnership (Durham:
    £120,000 per AAP), a councillor's neighbourhood budget (£25,000 each), a small grants
    fund (South Derbyshire: grants up to £2,500). Projects' funding lines draw on it."""

    class Kind(models.TextChoices):
        AREA_BUDGET = "area_budget", _("Area budget")
        NEIGHBOURHOOD_BUDGET = "neighbourhood_budget", _("Councillor neighbourhood budget")
        SMALL_GRANTS = "small_grants", _("Small grants fund")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind)
    financial_year = models.PositiveSmallIntegerField(
        help_text=_("The year the financial year starts in: 2026 for 2026/27.")
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    area = models.ForeignKey("communities.Area", on_delete=models.PROTECT, related_name="budgets")
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="budgets"
    )
    # The elected member whose neighbourhood budget this is.
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budgets_held",
    )
    # The most a single grant from this budget may be (small grants), if capped.
    max_award = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-financial_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="governance_budget_amount_not_negative"
            ),
            models.UniqueConstraint(
                fields=["name", "financial_year"], name="governance_budget_name_year_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.financial_year}/{(self.financial_year + 1) % 100:02d}"


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


class AuditEvent(models.Model):
    """One entry of the append-only audit trail: who did what to which record, and when.

    It holds identifiers and field names only, never the values of personal data. The
    database refuses updates and deletes on it (a trigger, on PostgreSQL).
    """

    class Outcome(models.TextChoices):
        OK = "ok", _("Done")
        REFUSED = "refused", _("Refused")
        ERROR = "error", _("Failed")

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # No database constraint: erasing a person must not touch the trail, which keeps
    # only the id (and the role they acted in).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_role = models.CharField(max_length=30, blank=True)
    # An API client (OAuth application) acting for a partner agency.
    api_client = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # For reads of many records at once (an API list): their ids.
    object_ids = models.JSONField(default=list, blank=True)
    # The names of the fields changed or read, never their values.
    fields = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.OK)
    route = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        triggers = [
            pgtrigger.Protect(
                name="audit_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are never deleted.")
