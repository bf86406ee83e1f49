from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SeatCall(models.Model):
    """An open call for community members to apply for a board's community seats, filled
    by appointment or by a lottery against quotas."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed")
        DRAWN = "drawn", _("Panel drawn")
        APPOINTED = "appointed", _("Panel appointed")

    board = models.ForeignKey("governance.Board", on_delete=models.CASCADE, related_name="calls")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    seats = models.PositiveSmallIntegerField(help_text=_("How many seats the call fills."))
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="governance_call_dates_order"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="governance_call_seats_gte_1"),
        ]

    def __str__(self) -> str:
        return self.title


class SeatApplication(models.Model):
    """A resident's application to a call. The household is kept only as a one-way key
    (of the first line of the address and the postcode), enough to draw one person per
    household and nothing more."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    call = models.ForeignKey(SeatCall, on_delete=models.CASCADE, related_name="applications")
    participant = models.ForeignKey(
        "engagement.Participant", on_delete=models.PROTECT, related_name="seat_applications"
    )
    household_key = models.CharField(max_length=64)
    statement = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.APPLIED)
    applied_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "participant"], name="governance_application_once_per_call"
            ),
        ]

    def __str__(self) -> str:
        return f"Application {self.pk} to {self.call}"


class SeatQuota(models.Model):
    """The fewest and most seats of a call for one group: an age band, a sex, an ethnic
    group (top level) or a ward."""

    class Dimension(models.TextChoices):
        AGE = "age", _("Age band")
        SEX = "sex", _("Sex")
        ETHNIC_GROUP = "ethnic_group", _("Ethnic group")
        WARD = "ward", _("Ward")

    call = models.ForeignKey(SeatCall, on_delete=models.CASCADE, related_name="quotas")
    dimension = models.CharField(max_length=20, choices=Dimension)
    # A communities.census code (age: a report band such as "16_24"), or a ward's GSS code.
    category = models.CharField(max_length=60)
    min_seats = models.PositiveSmallIntegerField(default=0)
    max_seats = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "dimension", "category"], name="governance_quota_once"
            ),
            models.CheckConstraint(
                condition=Q(min_seats__lte=F("max_seats")), name="governance_quota_min_le_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()} {self.category}: {self.min_seats}-{self.max_seats}"


class LotteryDraw(models.Model):
    """One run of the lottery for a call: the seed, the pool as it was drawn from (only
    application ids, household keys and the quota groups), the panel, and every quota's
    outcome, so that anyone can run it again (manage.py lottery_rerun) and check."""

    call = models.ForeignKey(SeatCall, on_delete=models.CASCADE, related_name="draws")
    seed = models.PositiveBigIntegerField()
    algorithm = models.CharField(max_length=100)
    # [{"application": id, "household": key, "groups": {"age": "25_34", ...}}, ...]
    pool = models.JSONField(default=list)
    # [{"dimension", "category", "min", "max"}, ...] as set when the draw ran.
    quotas = models.JSONField(default=list)
    # Application ids of the panel, in the order drawn; empty when no panel was possible.
    panel = models.JSONField(default=list)
    # [{"dimension", "category", "min", "max", "available", "selected", "met"}, ...]
    quota_report = models.JSONField(default=list)
    succeeded = models.BooleanField(default=False)
    # Why no panel could be drawn, in words an officer can act on.
    problems = models.JSONField(default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"Draw {self.pk} for {self.call} (seed {self.seed})"
