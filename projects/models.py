from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagement.models import ParticipationLevel

from .querysets import FundingLineQuerySet, ProjectQuerySet


class ServiceArea(models.Model):
    """A council service a project belongs to: street scene, community safety, youth...
    The council keeps its own list."""

    name = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LadderRung(models.IntegerChoices):
    """Arnstein's ladder of citizen participation (1969), bottom rung first."""

    MANIPULATION = 1, _("Manipulation")
    THERAPY = 2, _("Therapy")
    INFORMING = 3, _("Informing")
    CONSULTATION = 4, _("Consultation")
    PLACATION = 5, _("Placation")
    PARTNERSHIP = 6, _("Partnership")
    DELEGATED_POWER = 7, _("Delegated power")
    CITIZEN_CONTROL = 8, _("Citizen control")


LADDER_GROUPS = {
    LadderRung.MANIPULATION: _("Non-participation"),
    LadderRung.THERAPY: _("Non-participation"),
    LadderRung.INFORMING: _("Tokenism"),
    LadderRung.CONSULTATION: _("Tokenism"),
    LadderRung.PLACATION: _("Tokenism"),
    LadderRung.PARTNERSHIP: _("Citizen power"),
    LadderRung.DELEGATED_POWER: _("Citizen power"),
    LadderRung.CITIZEN_CONTROL: _("Citizen power"),
}


class CoproductionForm(models.TextChoices):
    """The forms of co-production a project takes; several may apply. Each value is the
    name of the project's boolean field that records it."""

    CO_DESIGN = "co_design", _("Co-design")
    CO_COMMISSIONING = "co_commissioning", _("Co-commissioning")
    CO_DELIVERY = "co_delivery", _("Co-delivery")
    CO_ASSESSMENT = "co_assessment", _("Co-assessment")
    CO_FINANCING = "co_financing", _("Co-financing")


class Project(models.Model):
    """A co-production project, from design through commission, delivery and evaluation."""

    class Stage(models.TextChoices):
        DESIGN = "design", _("Design")
        COMMISSION = "commission", _("Commission")
        DELIVER = "deliver", _("Deliver")
        EVALUATE = "evaluate", _("Evaluate")
        CLOSED = "closed", _("Closed")
        STOPPED = "stopped", _("Stopped")

    class Mode(models.TextChoices):
        COLLECTIVE = "collective", _("Collective")
        INDIVIDUAL = "individual", _("Individual")

    class Scale(models.TextChoices):
        PILOT = "pilot", _("Pilot")
        WHOLE_SERVICE = "whole_service", _("Whole service")

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    service_area = models.ForeignKey(
        ServiceArea, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    areas = models.ManyToManyField("communities.Area", related_name="projects")
    communities = models.ManyToManyField(
        "communities.CommunityOfInterest", blank=True, related_name="projects"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_led",
    )
    partner_agencies = models.ManyToManyField(
        "governance.PartnerAgency", blank=True, related_name="projects"
    )
    stage = models.CharField(max_length=20, choices=Stage, default=Stage.DESIGN)
    # When the project entered its current stage: a gate's sign-off must be given since.
    stage_entered_at = models.DateTimeField(default=timezone.now)
    co_design = models.BooleanField(_("co-design"), default=False)
    co_commissioning = models.BooleanField(_("co-commissioning"), default=False)
    co_delivery = models.BooleanField(_("co-delivery"), default=False)
    co_assessment = models.BooleanField(_("co-assessment"), default=False)
    co_financing = models.BooleanField(_("co-financing"), default=False)
    mode = models.CharField(max_length=20, choices=Mode, default=Mode.COLLECTIVE)
    scale = models.CharField(max_length=20, choices=Scale, default=Scale.PILOT)
    ladder_target = models.PositiveSmallIntegerField(
        choices=LadderRung, default=LadderRung.PARTNERSHIP
    )
    # Null until someone has assessed where on the ladder the project really is.
    ladder_actual = models.PositiveSmallIntegerField(choices=LadderRung, null=True, blank=True)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # What the public page says: written for residents, with no personal data.
    public_summary = models.TextField(blank=True)
    # Incremented on every change, so two officers cannot overwrite each other's edits.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ladder_target__gte=1, ladder_target__lte=8),
                name="projects_project_ladder_target_range",
                violation_error_message=_("Choose a rung of the participation ladder."),
            ),
            models.CheckConstraint(
                condition=Q(ladder_actual__isnull=True)
                | Q(ladder_actual__gte=1, ladder_actual__lte=8),
                name="projects_project_ladder_actual_range",
                violation_error_message=_("Choose a rung of the participation ladder."),
            ),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="projects_project_planned_dates_order",
                violation_error_message=_(
                    "The planned end must be on or after the planned start."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | ~Q(public_summary=""),
                name="projects_project_published_has_public_summary",
                violation_error_message=_(
                    "Write a summary for the public page before publishing."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def forms(self) -> list[CoproductionForm]:
        return [form for form in CoproductionForm if getattr(self, form.value)]

    @property
    def claims_coproduction(self) -> bool:
        return bool(self.forms)

    @property
    def is_tokenistic(self) -> bool:
        """Below partnership on the ladder while claiming to be co-production."""
        return (
            self.claims_coproduction
            and self.ladder_actual is not None
            and self.ladder_actual < LadderRung.PARTNERSHIP
        )

    @property
    def ladder_actual_group(self) -> str:
        return LADDER_GROUPS[self.ladder_actual] if self.ladder_actual else ""

    @property
    def is_open(self) -> bool:
        return self.stage not in {self.Stage.CLOSED, self.Stage.STOPPED}


# The order a project moves through; closed and stopped are where it ends.
STAGE_ORDER = [
    Project.Stage.DESIGN,
    Project.Stage.COMMISSION,
    Project.Stage.DELIVER,
    Project.Stage.EVALUATE,
    Project.Stage.CLOSED,
]


def stage_after(stage: str) -> str | None:
    if stage not in STAGE_ORDER or stage == Project.Stage.CLOSED:
        return None
    return STAGE_ORDER[STAGE_ORDER.index(stage) + 1]


def stage_before(stage: str) -> str | None:
    if stage not in STAGE_ORDER or stage == Project.Stage.DESIGN:
        return None
    return STAGE_ORDER[STAGE_ORDER.index(stage) - 1]


class ProjectDocument(models.Model):
    """Evidence for a stage: what residents decided, meeting notes, reports, links."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("What residents decided")
        MEETING_NOTES = "meeting_notes", _("Meeting notes")
        REPORT = "report", _("Report or evaluation")
        OTHER = "other", _("Other document")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    stage = models.CharField(max_length=20, choices=Project.Stage)
    kind = models.CharField(max_length=20, choices=Kind)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    url = models.URLField("link", max_length=500, blank=True)
    file = models.FileField(upload_to="projects/documents/%Y/%m/", blank=True, max_length=255)
    # The file's name as uploaded, shown and offered on download; the stored name differs.
    file_name = models.CharField(max_length=255, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_documents"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="decision") | ~Q(summary=""),
                name="projects_document_decision_has_summary",
                violation_error_message=_("Say what residents decided."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StageTransition(models.Model):
    """One move of a project between stages: who, when, why, on what evidence and whose
    sign-off. The project's timeline; never changed once written."""

    class Direction(models.TextChoices):
        FORWARD = "forward", _("Moved on")
        BACK = "back", _("Moved back")
        STOPPED = "stopped", _("Stopped")
        RESUMED = "resumed", _("Restarted")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(max_length=20, choices=Project.Stage)
    to_stage = models.CharField(max_length=20, choices=Project.Stage)
    direction = models.CharField(max_length=20, choices=Direction)
    # The officer's note on moving on, or the reason for moving back or stopping.
    note = models.TextField(blank=True)
    evidence = models.ManyToManyField(ProjectDocument, blank=True, related_name="transitions")
    signoff = models.ForeignKey(
        "governance.SignOffRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The gate's conditions as they stood when it was passed: [{code, label, met}].
    conditions = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_transitions"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_stage=F("to_stage")),
                name="projects_transition_changes_stage",
                violation_error_message=_("A stage change moves to a different stage."),
            ),
            models.CheckConstraint(
                condition=Q(direction="forward") | ~Q(note=""),
                name="projects_transition_back_or_stop_has_reason",
                violation_error_message=_("Give the reason for moving back or stopping."),
            ),
        ]
        indexes = [models.Index(fields=["project", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.project.reference}: {self.from_stage} to {self.to_stage}"


class RosterEntry(models.Model):
    """Someone on a project's roster: a resident (participant), or a member of staff, an
    elected member or a partner's representative (user). One entry per person."""

    class Role(models.TextChoices):
        CO_DESIGNER = "co_designer", _("Co-designer")
        VOLUNTEER = "volunteer", _("Volunteer")
        STREET_CHAMPION = "street_champion", _("Street champion")
        BOARD_REPRESENTATIVE = "board_representative", _("Board representative")
        STAFF_LEAD = "staff_lead", _("Staff lead")
        PARTNER_LEAD = "partner_lead", _("Partner lead")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roster")
    participant = models.ForeignKey(
        "engagement.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roster_entries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roster_entries",
    )
    role = models.CharField(max_length=30, choices=Role)
    participation_level = models.CharField(
        max_length=20, choices=ParticipationLevel, default=ParticipationLevel.INVOLVED
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    hours = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    # Bumped on every edit, so two officers cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "role", "pk"]
        verbose_name_plural = _("roster entries")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(participant__isnull=False, user__isnull=True)
                    | Q(participant__isnull=True, user__isnull=False)
                ),
                name="projects_roster_one_person",
            ),
            models.UniqueConstraint(
                fields=["project", "participant"], name="projects_roster_participant_once"
            ),
            models.UniqueConstraint(fields=["project", "user"], name="projects_roster_user_once"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="projects_roster_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0), name="projects_roster_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.project}"

    @property
    def is_resident(self) -> bool:
        return self.participant_id is not None

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.started_on <= on and (self.ended_on is None or self.ended_on >= on)


class FundingLine(models.Model):
    """Money for a project from one source: committed (the decision to spend) and spent.

    The one ledger of project money. A line from an area budget, a councillor's
    neighbourhood budget or a small grants fund draws on that devolved budget
    (governance.Budget) and is a funding decision an elected member signs off, whatever
    its amount; other council money over the threshold (PROJECT_SPEND_SIGNOFF_THRESHOLD)
    waits for a spend sign-off. Either is committed when the member approves it, refused
    when they reject it. Partner contributions and external match funding are the money
    levered. A line from a council source may be a grant the council makes to an
    organisation (published to 360Giving).
    """

    class Source(models.TextChoices):
        AREA_BUDGET = "area_budget", _("Area budget")
        NEIGHBOURHOOD_BUDGET = "neighbourhood_budget", _("Councillor neighbourhood budget")
        SMALL_GRANT = "small_grant", _("Small grant")
        COUNCIL_SERVICE = "council_service", _("Council service budget")
        PARTNER = "partner", _("Partner contribution")
        EXTERNAL_MATCH = "external_match", _("External match funding")

    class Status(models.TextChoices):
        AWAITING_SIGNOFF = "awaiting_signoff", _("Waiting for sign-off")
        COMMITTED = "committed", _("Committed")
        REFUSED = "refused", _("Refused at sign-off")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(max_length=30, choices=Source)
    budget = models.ForeignKey(
        "governance.Budget",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_lines",
    )
    partner_agency = models.ForeignKey(
        "governance.PartnerAgency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_lines",
    )
    # Who gives external match funding: "National Lottery Community Fund"...
    funder_name = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=300, blank=True)
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    spent = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    status = models.CharField(max_length=20, choices=Status, default=Status.AWAITING_SIGNOFF)
    committed_on = models.DateField(null=True, blank=True)
    is_grant = models.BooleanField(
        default=False, help_text=_("A grant the council makes to an organisation.")
    )
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_charity_number = models.CharField(max_length=20, blank=True)
    recipient_company_number = models.CharField(max_length=20, blank=True)
    # An org-id.guide identifier when neither number applies (e.g. GB-SC-SC012345).
    recipient_org_id = models.CharField(max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FundingLineQuerySet.as_manager()

    COUNCIL_SOURCES = frozenset(
        {
            Source.AREA_BUDGET,
            Source.NEIGHBOURHOOD_BUDGET,
            Source.SMALL_GRANT,
            Source.COUNCIL_SERVICE,
        }
    )
    # The council's budget kind each source draws on (governance.Budget.Kind): a line
    # from one of these sources always draws on a budget of that kind.
    BUDGET_KINDS = {
        Source.AREA_BUDGET: "area_budget",
        Source.NEIGHBOURHOOD_BUDGET: "neighbourhood_budget",
        Source.SMALL_GRANT: "small_grants",
    }
    SOURCE_FOR_BUDGET_KIND = {kind: source for source, kind in BUDGET_KINDS.items()}
    DEVOLVED_SOURCES = frozenset(BUDGET_KINDS)
    # The money a project brings in from elsewhere: what leverage counts.
    LEVERED_SOURCES = frozenset({Source.PARTNER, Source.EXTERNAL_MATCH})

    class Meta:
        ordering = ["project", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="projects_funding_amount_positive",
                violation_error_message=_("Enter an amount more than £0."),
            ),
            models.CheckConstraint(
                condition=Q(spent__gte=0, spent__lte=F("amount")),
                name="projects_funding_spent_within_amount",
                violation_error_message=_(
                    "Spend cannot be negative or more than the amount committed."
                ),
            ),
            models.CheckConstraint(
                condition=Q(spent=0) | Q(status="committed"),
                name="projects_funding_spent_only_when_committed",
                violation_error_message=_("Nothing can be spent before the money is committed."),
            ),
            models.CheckConstraint(
                condition=~Q(status="committed") | Q(committed_on__isnull=False),
                name="projects_funding_committed_has_date",
                violation_error_message=_("Committed money needs the date it was committed."),
            ),
            models.CheckConstraint(
                condition=Q(is_grant=False)
                | (
                    ~Q(recipient_name="")
                    & Q(
                        source__in=[
                            "area_budget",
                            "neighbourhood_budget",
                            "small_grant",
                            "council_service",
                        ]
                    )
                ),
                name="projects_funding_grant_from_council_to_recipient",
                violation_error_message=_(
                    "A grant is council money and names the organisation it is made to."
                ),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True)
                | Q(source__in=["area_budget", "neighbourhood_budget", "small_grant"]),
                name="projects_funding_budget_only_for_budget_sources",
                violation_error_message=_(
                    "Only an area budget, a neighbourhood budget or a small grant draws on a "
                    "devolved budget."
                ),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=False)
                | ~Q(source__in=["area_budget", "neighbourhood_budget", "small_grant"]),
                name="projects_funding_devolved_source_draws_on_budget",
                violation_error_message=_(
                    "Money from an area budget, a neighbourhood budget or a small grants fund "
                    "names the budget it comes from."
                ),
            ),
        ]
        indexes = [models.Index(fields=["project", "source", "status"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} £{self.amount:,.2f} for {self.project.reference}"

    @property
    def is_council_money(self) -> bool:
        return self.source in self.COUNCIL_SOURCES

    @property
    def is_devolved(self) -> bool:
        """Drawn on a devolved budget: a funding decision for an elected member."""
        return self.source in self.DEVOLVED_SOURCES

    @property
    def is_levered(self) -> bool:
        return self.source in self.LEVERED_SOURCES

    @property
    def funder_label(self) -> str:
        if self.budget_id:
            return str(self.budget)
        if self.partner_agency_id:
            return str(self.partner_agency)
        return self.funder_name or self.get_source_display()

    @property
    def signoff_key(self) -> str:
        return f"funding:{self.pk}"

    @property
    def signoff_kind(self) -> str:
        """The sign-off this line asks for when it needs one (governance.SignOffRequest.Kind
        values): a funding decision for devolved money, else spend over the threshold."""
        return "funding_decision" if self.is_devolved else "spend"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.spent


class Indicator(models.Model):
    """Something the project means to change, with its baseline, target and readings:
    an outcome (calls about anti-social behaviour), service demand or cost."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", _("Outcome")
        DEMAND = "demand", _("Service demand")
        COST = "cost", _("Cost")

    class Unit(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENT = "percent", _("Percentage")
        POUNDS = "pounds", _("Pounds (£)")

    class Direction(models.TextChoices):
        DOWN = "down", _("Lower is better")
        UP = "up", _("Higher is better")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OUTCOME)
    unit = models.CharField(max_length=20, choices=Unit, default=Unit.NUMBER)
    # What one unit is: "calls to the police a year", "residents satisfied"...
    measure = models.CharField(max_length=200, blank=True)
    direction = models.CharField(max_length=10, choices=Direction, default=Direction.DOWN)
    baseline_value = models.DecimalField(max_digits=14, decimal_places=2)
    baseline_on = models.DateField()
    target_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target_on = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=300, blank=True, help_text=_("Where the figures come from.")
    )
    # The partner agency that reports the figures (the police for ASB incidents): its API
    # client may post the readings. None: the council's officers record them.
    reported_by = models.ForeignKey(
        "governance.PartnerAgency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reported_indicators",
        verbose_name=_("reported by"),
        help_text=_("The partner agency that reports the figures, through the partner API."),
    )
    # Bumped on every edit, so two officers cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="projects_indicator_name_unique_in_project",
                violation_error_message=_("The project already has an indicator with this name."),
            ),
            models.CheckConstraint(
                condition=~Q(unit="percent")
                | (
                    Q(baseline_value__gte=0, baseline_value__lte=100)
                    & (
                        Q(target_value__isnull=True)
                        | Q(target_value__gte=0, target_value__lte=100)
                    )
                ),
                name="projects_indicator_percent_range",
                violation_error_message=_("A percentage is between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(target_on__isnull=True) | Q(target_on__gte=F("baseline_on")),
                name="projects_indicator_target_after_baseline",
                violation_error_message=_(
                    "The target date must be on or after the baseline date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def format_value(self, value) -> str:
        if value is None:
            return ""
        value = Decimal(value)
        whole = value == value.to_integral_value()
        number = f"{value:,.0f}" if whole else f"{value:,.2f}"
        if self.unit == self.Unit.PERCENT:
            return f"{number}%"
        if self.unit == self.Unit.POUNDS:
            return f"£{number}"
        return number


class Measurement(models.Model):
    """One dated reading of an indicator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "measured_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                name="projects_measurement_one_per_date",
                violation_error_message=_("There is already a reading for this date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} on {self.measured_on}"


class CommissioningAssessment(models.Model):
    """Whether the community can deliver the service, or part of it: the commissioner's
    test of capacity, skills, governance, insurance and risks, the decision and why."""

    class Rating(models.TextChoices):
        READY = "ready", _("In place")
        WITH_SUPPORT = "with_support", _("In place with support")
        NOT_READY = "not_ready", _("Not in place")

    class Capability(models.TextChoices):
        WHOLE = "whole", _("The whole service")
        PART = "part", _("Part of the service")
        NONE = "none", _("None of it")

    class Decision(models.TextChoices):
        COMMUNITY_DELIVERS = "community_delivers", _("Commission the community to deliver it")
        CO_DELIVER = "co_deliver", _("The council and the community deliver it together")
        COUNCIL_DELIVERS = "council_delivers", _("The council goes on delivering it")

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="commissioning_assessment"
    )
    provider_name = models.CharField(
        max_length=200, help_text=_("The community group or organisation assessed.")
    )
    service_part = models.TextField(help_text=_("The service, or the part of it, assessed."))
    capacity = models.CharField(max_length=20, choices=Rating)
    capacity_notes = models.TextField(blank=True)
    skills = models.CharField(max_length=20, choices=Rating)
    skills_notes = models.TextField(blank=True)
    governance = models.CharField(max_length=20, choices=Rating)
    governance_notes = models.TextField(blank=True)
    insurance = models.CharField(max_length=20, choices=Rating)
    insurance_notes = models.TextField(blank=True)
    risks = models.CharField(max_length=20, choices=Rating)
    risks_notes = models.TextField(blank=True)
    can_deliver = models.CharField(max_length=10, choices=Capability)
    decision = models.CharField(max_length=30, choices=Decision, blank=True)
    decision_reason = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="project_assessments"
    )
    assessed_on = models.DateField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    RATED_FIELDS = ("capacity", "skills", "governance", "insurance", "risks")

    class Meta:
        ordering = ["-assessed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | ~Q(decision_reason=""),
                name="projects_assessment_decision_has_reason",
                violation_error_message=_("Give the reason for the decision."),
            ),
            models.CheckConstraint(
                condition=~Q(can_deliver="none") | ~Q(decision="community_delivers"),
                name="projects_assessment_no_community_delivery_without_capability",
                violation_error_message=_(
                    "A community that can deliver none of the service cannot be commissioned "
                    "to deliver it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Commissioning assessment for {self.project}"

    @property
    def ratings(self) -> list[tuple[str, str, str]]:
        """(heading, rating label, notes) for each thing assessed."""
        headings = {
            "capacity": _("Capacity"),
            "skills": _("Skills"),
            "governance": _("Governance"),
            "insurance": _("Insurance"),
            "risks": _("Risks"),
        }
        return [
            (
                headings[name],
                getattr(self, f"get_{name}_display")(),
                getattr(self, f"{name}_notes"),
            )
            for name in self.RATED_FIELDS
        ]
