import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ScopeKind(models.IntegerChoices):
    """What a report is about. The summary table stores the kind as a small integer."""

    PROGRAMME = 0, _("Whole programme")
    AREA = 1, _("Area or ward")
    PROJECT = 2, _("Project")
    PARTNERSHIP = 3, _("Partnership")
    PRIORITY_CYCLE = 4, _("Priority cycle")
    EVENT_SERIES = 5, _("Event series")


class ScopeActivity(models.Model):
    """The maintained summary the reports count: one row per scope, participant and month
    in which the participant took at least one qualifying action in that scope.

    Derived from the participation ledger (engagement.ParticipationRecord) only, and
    rebuilt whenever the ledger changes: database triggers queue the participant's months
    concerned in StaleMonth on PostgreSQL, or the participant's whole history in
    StaleParticipant on SQLite. Area rows are kept for the area the action was recorded
    in; a report on a larger area adds up the areas beneath it.
    """

    pk = models.CompositePrimaryKey("scope_kind", "scope_id", "month", "participant")
    scope_kind = models.PositiveSmallIntegerField(choices=ScopeKind)
    # The scope's own id (area, project...); 0 for the whole programme.
    scope_id = models.BigIntegerField()
    # The first day of the calendar month (UK time) the actions fell in.
    month = models.DateField()
    # No database constraint: the rows are rebuilt from the ledger, and a participant's
    # removal reaches them through the ledger's triggers, not through a cascade.
    participant = models.ForeignKey(
        "engagement.Participant",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actions = models.PositiveIntegerField()
    # Bit masks of the channels used and the kinds of action taken (see activity.py).
    channels = models.PositiveSmallIntegerField(default=0)
    kinds = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scope_kind", "scope_id", "month", "participant"]
        verbose_name_plural = _("scope activity")
        indexes = [
            # Rebuilding one participant's rows; "is this a newcomer", "in how many
            # projects" lookups for one participant.
            models.Index(
                fields=["participant", "scope_kind", "month"],
                name="inclusion_activity_person",
            ),
            # In how many projects each participant was active (the usual suspects):
            # read in participant and project order, so counting needs no hashing or
            # sorting of every (participant, project) pair of a whole programme.
            models.Index(
                fields=["participant", "scope_id", "month"],
                condition=Q(scope_kind=ScopeKind.PROJECT),
                name="inclusion_activity_projects",
            ),
            # The whole programme's report reads everyone's programme rows in participant
            # order from this index alone (PostgreSQL: the other columns are included).
            models.Index(
                fields=["participant", "month"],
                include=["scope_id", "actions", "channels", "kinds"],
                condition=Q(scope_kind=ScopeKind.PROGRAMME),
                name="inclusion_activity_programme",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(actions__gte=1), name="inclusion_activity_actions"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_kind_display()} {self.scope_id} {self.month:%Y-%m}"


class StaleParticipant(models.Model):
    """A participant whose summary rows must be rebuilt: written by database triggers on
    the ledger (and on events, whose series a report may count), read by the refresh."""

    # A plain id, not a foreign key: the participant may be being deleted.
    participant_id = models.BigIntegerField(primary_key=True)

    class Meta:
        ordering = ["participant_id"]

    def __str__(self) -> str:
        return f"Stale participant {self.participant_id}"


class StaleMonth(models.Model):
    """One month of a participant's summary rows that must be rebuilt: written by the
    ledger's triggers on PostgreSQL, which work out the month in UK time, so that an
    action costs a rebuild of its month, not of the person's whole history.
    (StaleParticipant, a whole history, is SQLite's; on PostgreSQL the refresh turns a
    person queued there into their months.)"""

    pk = models.CompositePrimaryKey("participant_id", "month")
    # A plain id, not a foreign key: the participant may be being deleted.
    participant_id = models.BigIntegerField()
    # The first day of the calendar month (UK time), as in ScopeActivity.
    month = models.DateField()

    class Meta:
        ordering = ["participant_id", "month"]

    def __str__(self) -> str:
        return f"Stale month {self.month:%Y-%m} of participant {self.participant_id}"


class Target(models.Model):
    """An officer-set band for one group's share of participants (sortition-style
    quotas): reports say whether each group is within, below or above it.

    A target without an area applies to every report; one for an area applies, instead,
    to reports about that area and anything within it.
    """

    area = models.ForeignKey(
        "communities.Area",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inclusion_targets",
    )
    dimension = models.CharField(max_length=40)
    category = models.CharField(max_length=60)
    minimum_percent = models.DecimalField(max_digits=5, decimal_places=1)
    maximum_percent = models.DecimalField(max_digits=5, decimal_places=1)
    note = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inclusion_targets",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area__name", "dimension", "category"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_percent__gte=0)
                & Q(maximum_percent__lte=100)
                & Q(minimum_percent__lte=F("maximum_percent")),
                name="inclusion_target_band_valid",
            ),
            models.UniqueConstraint(
                fields=["area", "dimension", "category"],
                condition=Q(area__isnull=False),
                name="inclusion_target_one_per_area_group",
            ),
            models.UniqueConstraint(
                fields=["dimension", "category"],
                condition=Q(area__isnull=True),
                name="inclusion_target_one_per_programme_group",
            ),
        ]

    def __str__(self) -> str:
        where = self.area.name if self.area_id else "the whole programme"
        band = f"{self.minimum_percent}-{self.maximum_percent}%"
        return f"{self.dimension}:{self.category} {band} in {where}"


class ReportQuerySet(models.QuerySet["Report"]):
    def finished(self) -> "ReportQuerySet":
        return self.filter(generated_at__isnull=False)


class Report(models.Model):
    """One inclusion report: a scope and a period, run by the worker, stored once as an
    immutable snapshot (inputs, census tables and IMD edition used, results, who, when).

    `results` holds the figures for council staff (cells of 1-4 suppressed, with
    secondary suppression); `published` the same figures under the ONS rule for partners
    and the public. Neither holds a count that its own rule would suppress.
    """

    class Via(models.TextChoices):
        BROWSER = "browser", _("Requested in the browser")
        API = "api", _("Requested through the API")
        SCHEDULE = "schedule", _("Scheduled")

    scope_kind = models.PositiveSmallIntegerField(choices=ScopeKind)
    # "programme", "area:12", "project:3"...: one scope's reports share it.
    scope_key = models.CharField(max_length=40, db_index=True)
    area = models.ForeignKey(
        "communities.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inclusion_reports",
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inclusion_reports",
    )
    partnership = models.ForeignKey(
        "governance.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inclusion_reports",
    )
    priority_cycle = models.ForeignKey(
        "governance.PriorityCycle",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inclusion_reports",
    )
    event_series = models.ForeignKey(
        "engagement.EventSeries",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inclusion_reports",
    )
    # Whole calendar months: the first day of the first month, the last of the last.
    period_start = models.DateField()
    period_end = models.DateField()
    # The youngest age the programme counts (the census population is restricted to it).
    minimum_age = models.PositiveSmallIntegerField(default=16)
    via = models.CharField(max_length=20, choices=Via, default=Via.BROWSER)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inclusion_reports",
    )
    # The partner agency whose API client asked for it, if any.
    requested_by_agency = models.ForeignKey(
        "governance.PartnerAgency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inclusion_reports",
    )
    job = models.OneToOneField(
        "jobs.Job",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inclusion_report",
    )
    # Shown to the public (published mode only) once an officer says so.
    is_public = models.BooleanField(default=False)
    # The snapshot: written once, in the worker's transaction.
    generated_at = models.DateTimeField(null=True, blank=True)
    inputs = models.JSONField(default=dict, blank=True)
    results = models.JSONField(default=dict, blank=True)
    published = models.JSONField(default=dict, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["scope_key", "period_end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="inclusion_report_period_order",
            ),
            models.CheckConstraint(
                condition=Q(minimum_age__lte=100), name="inclusion_report_minimum_age"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        scope_kind=ScopeKind.PROGRAMME,
                        area__isnull=True,
                        project__isnull=True,
                        partnership__isnull=True,
                        priority_cycle__isnull=True,
                        event_series__isnull=True,
                    )
                    | Q(scope_kind=ScopeKind.AREA, area__isnull=False)
                    | Q(scope_kind=ScopeKind.PROJECT, project__isnull=False)
                    | Q(scope_kind=ScopeKind.PARTNERSHIP, partnership__isnull=False)
                    | Q(scope_kind=ScopeKind.PRIORITY_CYCLE, priority_cycle__isnull=False)
                    | Q(scope_kind=ScopeKind.EVENT_SERIES, event_series__isnull=False)
                ),
                name="inclusion_report_scope_named",
            ),
            # Beat may fire twice: a scheduled report exists once per scope and period.
            models.UniqueConstraint(
                fields=["scope_key", "period_start", "period_end"],
                condition=Q(via="schedule"),
                name="inclusion_report_scheduled_once",
            ),
        ]
        triggers = [
            # The snapshot is immutable: once generated, only publishing it may change.
            pgtrigger.Protect(
                name="inclusion_report_snapshot_immutable",
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__generated_at__isnull=False)
                & (
                    pgtrigger.Q(old__results__df=pgtrigger.F("new__results"))
                    | pgtrigger.Q(old__published__df=pgtrigger.F("new__published"))
                    | pgtrigger.Q(old__inputs__df=pgtrigger.F("new__inputs"))
                    | pgtrigger.Q(old__generated_at__df=pgtrigger.F("new__generated_at"))
                    | pgtrigger.Q(old__period_start__df=pgtrigger.F("new__period_start"))
                    | pgtrigger.Q(old__period_end__df=pgtrigger.F("new__period_end"))
                    | pgtrigger.Q(old__scope_key__df=pgtrigger.F("new__scope_key"))
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Inclusion report {self.pk}: {self.scope_key} {self.period_start:%b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("inclusion:report_detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.generated_at is not None

    def figures(self, mode: str) -> dict:
        """The stored figures for an audience: staff's (`internal`), or the published ones
        for partners and the public, every page, download and API answer reading them
        here. A published snapshot stored before its deprivation section hid a small
        count of participants placed has that count hidden on the way out (a snapshot
        is never changed)."""
        from .disclosure import INTERNAL, PUBLISHED, rule_for

        if mode == INTERNAL:
            return self.results
        figures = self.published
        deprivation = (figures or {}).get("deprivation") or {}
        placed = deprivation.get("participants_placed")
        if placed is not None and rule_for(PUBLISHED).is_small(placed):
            figures = {**figures, "deprivation": {**deprivation, "participants_placed": None}}
        return figures

    @property
    def scope_object(self):
        return {
            ScopeKind.AREA: self.area,
            ScopeKind.PROJECT: self.project,
            ScopeKind.PARTNERSHIP: self.partnership,
            ScopeKind.PRIORITY_CYCLE: self.priority_cycle,
            ScopeKind.EVENT_SERIES: self.event_series,
        }.get(self.scope_kind)

    @property
    def scope_label(self) -> str:
        target = self.scope_object
        if target is None:
            return str(_("Whole programme"))
        return str(target)

    @property
    def counted_to(self):
        """The last day counted, when the period's last month was not over when the report
        was made (or, while it waits, is not over yet); None for a period that was over."""
        day = timezone.localdate(self.generated_at)  # today while it waits
        return day if day <= self.period_end else None

    @property
    def period_label(self) -> str:
        start, end, to = self.period_start, self.period_end, self.counted_to
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%B %Y}, as at {to:%-d %B}" if to else f"{start:%B %Y}"
        label = f"{start:%B %Y} to {end:%B %Y}"
        return f"{label}, as at {to:%-d %B %Y}" if to else label


class Schedule(models.Model):
    """A scope reported on every month by beat (areas and active projects are added by
    inclusion.services.schedule_ensure)."""

    scope_kind = models.PositiveSmallIntegerField(choices=ScopeKind)
    scope_key = models.CharField(max_length=40, unique=True)
    area = models.ForeignKey(
        "communities.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(
        "governance.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    is_active = models.BooleanField(default=True)
    # How many months each scheduled report covers, ending with the month just gone.
    months = models.PositiveSmallIntegerField(default=12)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scope_kind", "scope_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=60), name="inclusion_schedule_months"
            ),
        ]

    def __str__(self) -> str:
        return f"Monthly report for {self.scope_key}"
