"""Volunteers' safety: what volunteers may do and what they must never do, risk
assessments, induction and training, scheduled activities and who is rostered on them,
environmental toolkits lent to trained group leads, activity reports and incidents.

The rules (the gate, four eyes on approvals, read-only approved assessments) live in
engagement.volunteering; the database holds the guarantees it can (constraints, and on
PostgreSQL triggers that refuse edits to an assessment once it left the draft state).
"""

import uuid
from dataclasses import dataclass
from datetime import date

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .residents import Event, IssueCategory, Participant

ADULT_AGE = 18


# Training -----------------------------------------------------------------------------


class TrainingCourse(models.Model):
    """Something a volunteer can be trained in: safe use of the toolkit, manual handling,
    food hygiene for café volunteers, safeguarding for mentors..."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    # How long the training counts for; empty means it never lapses.
    valid_for_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Leave empty if the training never lapses.")
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_for_months__isnull=True) | Q(valid_for_months__gte=1),
                name="engagement_course_validity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def training(self) -> str:
        """The course as said in a sentence: "Litter picking safely training", but
        "Toolkit user training" and not "Toolkit user training training"."""
        if self.name.lower().rstrip().endswith("training"):
            return self.name
        return f"{self.name} training"


class TrainingRecord(models.Model):
    """A volunteer's training: what, when, by whom, and when it lapses."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="training_records"
    )
    course = models.ForeignKey(
        TrainingCourse, on_delete=models.PROTECT, related_name="training_records"
    )
    completed_on = models.DateField()
    # Set from the course's validity when recorded; empty means it never lapses.
    expires_on = models.DateField(null=True, blank=True)
    trainer = models.CharField(
        max_length=150, help_text=_("Who gave the training: a person or an organisation.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_recorded",
    )
    notes = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant", "course", "-completed_on", "pk"]
        indexes = [models.Index(fields=["course", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("completed_on")),
                name="engagement_training_expires_after_completion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on:%d %b %Y})"

    def is_current_on(self, day: date) -> bool:
        return self.completed_on <= day and (self.expires_on is None or self.expires_on >= day)


# Volunteers -----------------------------------------------------------------------------


class Volunteer(models.Model):
    """A participant's volunteering record: their induction, and the age the safety rules
    need, given for this purpose.

    Age here is not equality monitoring: it is asked so that no one under a task's minimum
    age is given it, under its own lawful basis, and the equality answers are never read
    for it. A date of birth, a year of birth or a confirmation of being 18 or over is
    enough; nothing more is kept.
    """

    class AgeBasis(models.TextChoices):
        LEGAL_OBLIGATION = (
            "legal_obligation",
            _(
                "Legal obligation: protecting young people's health and safety "
                "(Management of Health and Safety at Work Regulations 1999, reg. 19)"
            ),
        )
        PUBLIC_TASK = "public_task", _("Public task: running volunteer activities safely")

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="volunteer"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    year_of_birth = models.PositiveSmallIntegerField(null=True, blank=True)
    confirmed_adult = models.BooleanField(
        default=False, help_text=_("The person confirmed they are 18 or over.")
    )
    age_basis = models.CharField(max_length=30, choices=AgeBasis, blank=True)
    age_recorded_at = models.DateTimeField(null=True, blank=True)
    # The induction (Halton's volunteer involvement pack): what it covered, and when.
    inducted_on = models.DateField(null=True, blank=True)
    inducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteers_inducted",
    )
    induction_pack_version = models.CharField(max_length=30, blank=True)
    pack_acknowledged = models.BooleanField(default=False)
    emergency_procedures_covered = models.BooleanField(default=False)
    role_boundaries_covered = models.BooleanField(default=False)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_phone = models.CharField(max_length=30, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["participant__full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_of_birth__isnull=True) | Q(year_of_birth__gte=1900),
                name="engagement_volunteer_year_of_birth_plausible",
            ),
            # Age data is only ever held with the reason it is held.
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=True, year_of_birth__isnull=True)
                & Q(confirmed_adult=False)
                | ~Q(age_basis=""),
                name="engagement_volunteer_age_has_lawful_basis",
            ),
            models.CheckConstraint(
                condition=Q(inducted_on__isnull=False)
                | Q(
                    pack_acknowledged=False,
                    emergency_procedures_covered=False,
                    role_boundaries_covered=False,
                ),
                name="engagement_volunteer_induction_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Volunteer: {self.participant}"

    @property
    def induction_missing(self) -> list[str]:
        """What the induction has not covered yet, in words (empty when complete)."""
        missing = []
        if not self.pack_acknowledged:
            missing.append(str(_("the volunteer involvement pack")))
        if not self.emergency_procedures_covered:
            missing.append(str(_("emergency procedures")))
        if not self.role_boundaries_covered:
            missing.append(str(_("the boundaries of the role")))
        return missing

    @property
    def induction_complete(self) -> bool:
        return self.inducted_on is not None and not self.induction_missing

    @property
    def age_known(self) -> bool:
        return bool(self.date_of_birth or self.year_of_birth or self.confirmed_adult)

    def youngest_age_on(self, day: date) -> int | None:
        """The youngest the person can be on that day, from what they told us; None when
        they told us nothing. A year of birth alone counts the birthday as still to come."""
        if self.date_of_birth is not None:
            born = self.date_of_birth
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.year_of_birth is not None:
            return day.year - self.year_of_birth - ((day.month, day.day) != (12, 31))
        if self.confirmed_adult:
            return ADULT_AGE
        return None


# Tasks ----------------------------------------------------------------------------------


class VolunteerTaskQuerySet(models.QuerySet["VolunteerTask"]):
    def allowed(self) -> "VolunteerTaskQuerySet":
        return self.filter(is_prohibited=False)

    def prohibited(self) -> "VolunteerTaskQuerySet":
        return self.filter(is_prohibited=True)

    def active(self) -> "VolunteerTaskQuerySet":
        return self.filter(is_active=True)


class VolunteerTask(models.Model):
    """A job in the council's catalogue: one volunteers may do (with its hazards, the
    training it needs and a minimum age), or one they must never do ("send for the
    experts"), with what to do instead."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    is_prohibited = models.BooleanField(
        default=False, help_text=_("A job for the experts: never given to volunteers.")
    )
    instead = models.TextField(
        blank=True, help_text=_("For a job for the experts: what volunteers do instead.")
    )
    report_category = models.ForeignKey(
        IssueCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prohibited_tasks",
        help_text=_("The kind of problem to report it as, on the council's report page."),
    )
    report_url = models.URLField(
        blank=True, help_text=_("Or the council's own page for reporting it.")
    )
    # One hazard a line: slips and trips, sharps, traffic...
    hazards = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(default=ADULT_AGE)
    required_training = models.ManyToManyField(TrainingCourse, blank=True, related_name="tasks")
    is_active = models.BooleanField(default=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VolunteerTaskQuerySet.as_manager()

    class Meta:
        ordering = ["is_prohibited", "display_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_prohibited=False) | ~Q(instead=""),
                name="engagement_prohibited_task_says_what_instead",
            ),
            models.CheckConstraint(
                condition=Q(minimum_age__lte=99), name="engagement_task_minimum_age_plausible"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def hazard_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.hazards.splitlines() if line.strip(" -•\t")]

    def report_link(self) -> str:
        """Where a resident reports the problem for the council to deal with."""
        start = reverse("engagement:report_start")
        if self.report_category_id:
            return f"{start}?category={self.report_category.slug}"
        return self.report_url or start


# Risk assessments -------------------------------------------------------------------


@dataclass(frozen=True)
class RiskRating:
    score: int
    label: str
    # A CSS modifier for the tag that shows it.
    colour: str


def risk_rating(score: int | None) -> RiskRating | None:
    """The band of a 5x5 likelihood x severity score (1-25)."""
    if not score:
        return None
    if score <= 4:
        return RiskRating(score, str(_("Low")), "green")
    if score <= 9:
        return RiskRating(score, str(_("Medium")), "yellow")
    if score <= 15:
        return RiskRating(score, str(_("High")), "orange")
    return RiskRating(score, str(_("Very high")), "red")


# Scores at or above this residual rating cannot be approved for volunteers.
VERY_HIGH_SCORE = 16


# The moves an assessment's status may make; PostgreSQL refuses any other.
ASSESSMENT_TRANSITIONS = [
    ("draft", "submitted"),
    ("submitted", "draft"),
    ("submitted", "approved"),
    ("approved", "under_review"),
    ("approved", "superseded"),
    ("under_review", "approved"),
    ("under_review", "superseded"),
    ("draft", "withdrawn"),
    ("submitted", "withdrawn"),
    ("approved", "withdrawn"),
    ("under_review", "withdrawn"),
]


class RiskAssessmentQuerySet(models.QuerySet["RiskAssessment"]):
    def approved(self) -> "RiskAssessmentQuerySet":
        return self.filter(status=RiskAssessment.Status.APPROVED)

    def in_date_on(self, day: date) -> "RiskAssessmentQuerySet":
        return self.approved().filter(review_on__gte=day)

    def with_residual_score(self) -> "RiskAssessmentQuerySet":
        return self.annotate(
            residual_score=models.Max("hazards__score_after"),
            initial_score=models.Max("hazards__score_before"),
        )


class RiskAssessment(models.Model):
    """A risk assessment of a task: for an area (council-wide, an area, a ward), a site
    within it, or one event (a litter pick on a given date and place).

    Drafted by an officer or a group lead, approved by a competent officer who is not the
    author, with a review date. Once submitted its content never changes: a change is a
    new revision that points at the one it replaces, and the chain is kept.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        UNDER_REVIEW = "under_review", _("Reopened for review")
        SUPERSEDED = "superseded", _("Replaced by a newer revision")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Statuses that an approver has signed: they always name the approver and review date.
    SIGNED = (Status.APPROVED, Status.UNDER_REVIEW, Status.SUPERSEDED)
    # The content an approver signs: never changed outside a draft.
    CONTENT_FIELDS = (
        "task",
        "area",
        "site",
        "event",
        "emergency_arrangements",
        "insurance",
        "author",
        "previous",
        "revision",
    )

    task = models.ForeignKey(
        VolunteerTask, on_delete=models.PROTECT, related_name="risk_assessments"
    )
    area = models.ForeignKey(
        "communities.Area",
        on_delete=models.PROTECT,
        related_name="risk_assessments",
        help_text=_("Where it applies: the whole council, an area or a ward."),
    )
    site = models.CharField(
        max_length=255, blank=True, help_text=_("A particular place, if it is for one.")
    )
    # For one event only (a litter pick on a given date and place).
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risk_assessments",
    )
    emergency_arrangements = models.TextField(
        help_text=_("First aid, who to call, the nearest hospital, how to raise the alarm.")
    )
    insurance = models.TextField(
        help_text=_("The cover volunteers have: the policy and what it covers.")
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    revision = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_revision"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="risk_assessments_written",
    )
    # The officer accountable for it: asked to review it when it falls due.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risk_assessments_owned",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="risk_assessments_approved",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)
    reopened_by_incident = models.ForeignKey(
        "engagement.Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reopened_assessments",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["task", "status", "review_on"]),
            models.Index(fields=["status", "review_on"]),
        ]
        constraints = [
            # Four eyes: the author never approves their own assessment.
            models.CheckConstraint(
                condition=~Q(approved_by=F("author")),
                name="engagement_assessment_not_approved_by_author",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "under_review", "superseded"])
                | Q(approved_by__isnull=False, approved_at__isnull=False, review_on__isnull=False),
                name="engagement_assessment_signed_names_approver",
            ),
            models.CheckConstraint(
                condition=Q(revision__gte=1), name="engagement_assessment_revision_positive"
            ),
            models.CheckConstraint(
                condition=Q(previous__isnull=True, revision=1)
                | Q(previous__isnull=False, revision__gt=1),
                name="engagement_assessment_revision_chain",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="assessment_content_frozen_after_draft",
                operation=pgtrigger.Update,
                condition=~pgtrigger.Q(old__status="draft")
                & (
                    pgtrigger.Q(old__task_id__df=pgtrigger.F("new__task_id"))
                    | pgtrigger.Q(old__area_id__df=pgtrigger.F("new__area_id"))
                    | pgtrigger.Q(old__site__df=pgtrigger.F("new__site"))
                    | pgtrigger.Q(old__event_id__df=pgtrigger.F("new__event_id"))
                    | pgtrigger.Q(
                        old__emergency_arrangements__df=pgtrigger.F("new__emergency_arrangements")
                    )
                    | pgtrigger.Q(old__insurance__df=pgtrigger.F("new__insurance"))
                    | pgtrigger.Q(old__author_id__df=pgtrigger.F("new__author_id"))
                    | pgtrigger.Q(old__previous_id__df=pgtrigger.F("new__previous_id"))
                    | pgtrigger.Q(old__revision__df=pgtrigger.F("new__revision"))
                ),
            ),
            pgtrigger.Protect(
                name="assessment_kept_after_draft",
                operation=pgtrigger.Delete,
                condition=~pgtrigger.Q(old__status="draft"),
            ),
            pgtrigger.FSM(
                name="assessment_status_moves",
                field="status",
                transitions=ASSESSMENT_TRANSITIONS,
            ),
        ]

    def __str__(self) -> str:
        where = self.site or (self.area.name if self.area_id else "")
        return f"{self.task}: {where} (revision {self.revision})"

    def get_absolute_url(self) -> str:
        return reverse("engagement:assessment_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"RA{self.pk:05d}-{self.revision}" if self.pk else "RA-new"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def review_overdue(self) -> bool:
        return self.status == self.Status.APPROVED and bool(
            self.review_on and self.review_on < timezone.localdate()
        )

    def is_in_date_on(self, day: date) -> bool:
        return self.status == self.Status.APPROVED and bool(
            self.review_on and self.review_on >= day
        )


class RiskAssessmentHazard(models.Model):
    """One hazard: who it might harm, its likelihood and severity before and after the
    controls. The scores are computed by the database, never typed."""

    class Likelihood(models.IntegerChoices):
        RARE = 1, _("1 Rare")
        UNLIKELY = 2, _("2 Unlikely")
        POSSIBLE = 3, _("3 Possible")
        LIKELY = 4, _("4 Likely")
        ALMOST_CERTAIN = 5, _("5 Almost certain")

    class Severity(models.IntegerChoices):
        NEGLIGIBLE = 1, _("1 Negligible: no injury")
        MINOR = 2, _("2 Minor: first aid")
        MODERATE = 3, _("3 Moderate: medical treatment")
        MAJOR = 4, _("4 Major: serious injury")
        CATASTROPHIC = 5, _("5 Catastrophic: death or disability")

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.CASCADE, related_name="hazards"
    )
    hazard = models.CharField(max_length=200)
    who_might_be_harmed = models.CharField(max_length=255)
    likelihood_before = models.PositiveSmallIntegerField(choices=Likelihood)
    severity_before = models.PositiveSmallIntegerField(choices=Severity)
    controls = models.TextField()
    likelihood_after = models.PositiveSmallIntegerField(choices=Likelihood)
    severity_after = models.PositiveSmallIntegerField(choices=Severity)
    score_before = models.GeneratedField(
        expression=F("likelihood_before") * F("severity_before"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    score_after = models.GeneratedField(
        expression=F("likelihood_after") * F("severity_after"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    likelihood_before__gte=1,
                    likelihood_before__lte=5,
                    severity_before__gte=1,
                    severity_before__lte=5,
                    likelihood_after__gte=1,
                    likelihood_after__lte=5,
                    severity_after__gte=1,
                    severity_after__lte=5,
                ),
                name="engagement_hazard_scores_on_the_5x5_matrix",
            ),
            # Controls never make a risk worse.
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("likelihood_after") * F("severity_after"),
                    F("likelihood_before") * F("severity_before"),
                ),
                name="engagement_hazard_controls_do_not_raise_risk",
            ),
        ]
        triggers = [
            # The hazards are part of what the approver signed.
            pgtrigger.Trigger(
                name="hazard_frozen_after_draft",
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.Before,
                func="""
                IF EXISTS (
                    SELECT 1 FROM engagement_riskassessment
                    WHERE id IN (
                        CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.assessment_id END,
                        CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.assessment_id END
                    )
                    AND status <> 'draft'
                ) THEN
                    RAISE EXCEPTION 'pgtrigger: hazards of a submitted or approved risk '
                        'assessment cannot change: make a new revision';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return self.hazard

    @property
    def rating_before(self) -> RiskRating | None:
        return risk_rating(self.likelihood_before * self.severity_before)

    @property
    def rating_after(self) -> RiskRating | None:
        return risk_rating(self.likelihood_after * self.severity_after)


# Activities and rosters ---------------------------------------------------------------


class VolunteerActivity(models.Model):
    """A volunteer activity the council schedules: a litter pick in a park on a Saturday,
    a morning of café volunteering at a community centre, a graffiti clean-up."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    title = models.CharField(max_length=200)
    task = models.ForeignKey(VolunteerTask, on_delete=models.PROTECT, related_name="activities")
    area = models.ForeignKey(
        "communities.Area", on_delete=models.PROTECT, related_name="volunteer_activities"
    )
    site = models.CharField(max_length=255, help_text=_("Where: a name and address."))
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_activities",
    )
    event = models.OneToOneField(
        Event,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_activity",
    )
    group_name = models.CharField(
        max_length=150, blank=True, help_text=_("The group doing it, e.g. a NAG.")
    )
    lead = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities_led",
    )
    toolkit = models.ForeignKey(
        "engagement.Toolkit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.SCHEDULED)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_activities_created",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name_plural = _("volunteer activities")
        indexes = [
            models.Index(fields=["task", "starts_at"]),
            models.Index(fields=["area", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="engagement_activity_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("engagement:activity_detail", args=[self.pk])

    @property
    def day(self) -> date:
        return timezone.localdate(self.starts_at)


class ActivityRosterEntry(models.Model):
    """A volunteer rostered on an activity, and the hours they gave."""

    class Role(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        LEAD = "lead", _("Group lead")

    class Status(models.TextChoices):
        ROSTERED = "rostered", _("Rostered")
        ATTENDED = "attended", _("Took part")
        ABSENT = "absent", _("Did not come")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    activity = models.ForeignKey(
        VolunteerActivity, on_delete=models.CASCADE, related_name="roster"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="activity_roster"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.VOLUNTEER)
    status = models.CharField(max_length=20, choices=Status, default=Status.ROSTERED)
    hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    rostered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteers_rostered",
    )
    hours_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["activity", "role", "pk"]
        verbose_name_plural = _("activity roster entries")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant"], name="engagement_roster_once_per_activity"
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0, hours__lte=24),
                name="engagement_roster_hours_in_a_day",
            ),
            models.CheckConstraint(
                condition=Q(status="attended") | Q(hours__isnull=True),
                name="engagement_roster_hours_only_when_attended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} on {self.activity}"


# Toolkits -----------------------------------------------------------------------------


class Toolkit(models.Model):
    """An environmental toolkit the council lends (Milton Keynes: a small kit for a group
    to keep, a larger one for Enviro Days)."""

    class Kind(models.TextChoices):
        SMALL_GROUP = "small_group", _("Small group kit")
        LARGE_EVENT = "large_event", _("Large event kit")

    code = models.CharField(max_length=30, unique=True, help_text=_("The label on the kit."))
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.SMALL_GROUP)
    home_area = models.ForeignKey(
        "communities.Area", on_delete=models.PROTECT, related_name="toolkits"
    )
    required_training = models.ForeignKey(
        TrainingCourse,
        on_delete=models.PROTECT,
        related_name="toolkits",
        help_text=_("The training a holder must have to borrow it."),
    )
    in_service = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:toolkit_detail", args=[self.pk])


class ToolkitItem(models.Model):
    """What is in a kit, how many, and in what condition."""

    class Kind(models.TextChoices):
        BROOM = "broom", _("Broom")
        LITTER_PICKER = "litter_picker", _("Litter picker")
        SACKS = "sacks", _("Sacks")
        HOOP = "hoop", _("Bag hoop")
        GLOVES = "gloves", _("Gloves")
        GOGGLES = "goggles", _("Goggles")
        HI_VIS = "hi_vis", _("Hi-vis vest")
        GRAFFITI_WIPES = "graffiti_wipes", _("Graffiti wipes")
        SCRAPER = "scraper", _("Scraper")
        CUTTERS = "cutters", _("Cutters")
        FIRST_AID = "first_aid", _("First aid kit")
        OTHER = "other", _("Other")

    class Condition(models.TextChoices):
        GOOD = "good", _("Good")
        WORN = "worn", _("Worn")
        DAMAGED = "damaged", _("Damaged")
        MISSING = "missing", _("Missing")

    # From best to worst: a return's overall condition is its worst item's.
    CONDITION_ORDER = [Condition.GOOD, Condition.WORN, Condition.DAMAGED, Condition.MISSING]

    toolkit = models.ForeignKey(Toolkit, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind)
    description = models.CharField(max_length=150, blank=True)
    quantity = models.PositiveSmallIntegerField(default=1)
    condition = models.CharField(max_length=10, choices=Condition, default=Condition.GOOD)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["toolkit", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="engagement_toolkit_item_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        detail = f" ({self.description})" if self.description else ""
        return f"{self.quantity} x {self.get_kind_display()}{detail}"


class Disclaimer(models.Model):
    """The disclaimer a kit's users sign, as a numbered version: its text never changes,
    a new text is a new version, and every signature names the version signed."""

    version = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()
    in_force_from = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(version__gte=1), name="engagement_disclaimer_version_positive"
            ),
        ]
        triggers = [
            pgtrigger.ReadOnly(name="disclaimer_text_never_changes", fields=["version", "text"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class DisclaimerSignature(models.Model):
    """A person's signature of one version of the disclaimer."""

    class Method(models.TextChoices):
        ONLINE = "online", _("Signed online")
        PAPER = "paper", _("Signed on paper")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="disclaimer_signatures"
    )
    disclaimer = models.ForeignKey(Disclaimer, on_delete=models.PROTECT, related_name="signatures")
    signed_on = models.DateField()
    signed_name = models.CharField(max_length=150)
    method = models.CharField(max_length=10, choices=Method)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disclaimer_signatures_recorded",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "disclaimer"], name="engagement_disclaimer_signed_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signed_name}: disclaimer version {self.disclaimer.version}"


class ToolkitLoanQuerySet(models.QuerySet["ToolkitLoan"]):
    def open(self) -> "ToolkitLoanQuerySet":
        return self.filter(returned_on__isnull=True)

    def overdue(self, *, today: date | None = None) -> "ToolkitLoanQuerySet":
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ToolkitLoan(models.Model):
    """A kit lent to a trained holder who signed the disclaimer, until it comes back.

    What qualified the holder is copied onto the loan (the disclaimer version and the
    day it was signed, the training and its dates), so the record stands even after the
    person's own records are erased.
    """

    toolkit = models.ForeignKey(Toolkit, on_delete=models.PROTECT, related_name="loans")
    holder = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="toolkit_loans")
    group_name = models.CharField(max_length=150, blank=True)
    lent_on = models.DateField()
    due_on = models.DateField()
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="toolkit_loans_made",
    )
    disclaimer = models.ForeignKey(Disclaimer, on_delete=models.PROTECT, related_name="loans")
    disclaimer_signed_on = models.DateField()
    training_course = models.ForeignKey(
        TrainingCourse, on_delete=models.PROTECT, related_name="loans"
    )
    training_completed_on = models.DateField()
    training_expires_on = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="toolkit_loans_received",
    )
    return_condition = models.CharField(max_length=10, choices=ToolkitItem.Condition, blank=True)
    return_notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ToolkitLoanQuerySet.as_manager()

    class Meta:
        ordering = ["-lent_on", "-pk"]
        indexes = [models.Index(fields=["returned_on", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["toolkit"],
                condition=Q(returned_on__isnull=True),
                name="engagement_toolkit_one_open_loan",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("lent_on")), name="engagement_loan_due_after_lent"
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("lent_on")),
                name="engagement_loan_returned_after_lent",
            ),
            models.CheckConstraint(
                condition=Q(disclaimer_signed_on__lte=F("lent_on")),
                name="engagement_loan_disclaimer_signed_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.toolkit.code} to {self.holder}"

    @property
    def is_open(self) -> bool:
        return self.returned_on is None

    @property
    def is_overdue(self) -> bool:
        return self.returned_on is None and self.due_on < timezone.localdate()

    @property
    def days_overdue(self) -> int:
        return (timezone.localdate() - self.due_on).days if self.is_overdue else 0


# Activity reports -------------------------------------------------------------------


class ActivityReport(models.Model):
    """What a group did with a kit: what, where, when, how many bags, with photos. The
    council reads them to see where problems recur and co-ordinate action."""

    task = models.ForeignKey(
        VolunteerTask, on_delete=models.PROTECT, related_name="activity_reports"
    )
    loan = models.ForeignKey(
        ToolkitLoan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_reports",
    )
    activity = models.ForeignKey(
        VolunteerActivity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_reports",
    )
    group_name = models.CharField(max_length=150, blank=True)
    done_on = models.DateField()
    place = models.CharField(max_length=255)
    postcode = models.CharField(max_length=8, blank=True)
    ward = models.ForeignKey(
        "communities.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_activity_reports",
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    bags_collected = models.PositiveSmallIntegerField(default=0)
    volunteers = models.PositiveSmallIntegerField(default=1)
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    notes = models.TextField(blank=True)
    left_for_council = models.TextField(
        blank=True, help_text=_("Anything found that is a job for the experts.")
    )
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-done_on", "-pk"]
        indexes = [models.Index(fields=["ward", "task", "done_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteers__gte=1), name="engagement_activity_report_volunteers"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="engagement_activity_report_point_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} at {self.place} on {self.done_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:activity_report_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"AR{self.pk:06d}" if self.pk else "AR-new"


def activity_photo_path(photo: "ActivityPhoto", filename: str) -> str:
    # As for issue photos: private, random name, the person's file name not kept.
    return f"private/activity-photos/{uuid.uuid4().hex}.jpg"


class ActivityPhoto(models.Model):
    """A photo of the work done, stored with every bit of metadata stripped."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=activity_photo_path, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return f"Photo {self.pk} of {self.report.reference}"


# Incidents ----------------------------------------------------------------------------


class Incident(models.Model):
    """An accident, near miss or dangerous find during an activity. Reporting one reopens
    the risk assessments that covered the activity for review.

    The injury details are health data (special category): every read by staff is
    audited. An incident is a health and safety record the council must keep, so it
    stays when a person's data is erased (their profile is anonymised).
    """

    class Kind(models.TextChoices):
        ACCIDENT = "accident", _("Accident: someone was hurt")
        NEAR_MISS = "near_miss", _("Near miss: no one was hurt, but someone could have been")
        DANGEROUS_FIND = (
            "dangerous_find",
            _("Dangerous find: needles, chemicals, asbestos or the like"),
        )

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    activity = models.ForeignKey(
        VolunteerActivity, on_delete=models.PROTECT, related_name="incidents"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    occurred_at = models.DateTimeField()
    description = models.TextField()
    injury_details = models.TextField(blank=True)
    first_aid_given = models.BooleanField(default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents_reported",
    )
    reporter = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents_reported",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    action_taken = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents_closed",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["status", "occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False),
                name="engagement_incident_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("engagement:incident_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"IN{self.pk:05d}" if self.pk else "IN-new"


# The nightly check's flags ------------------------------------------------------------


class SafetyAlert(models.Model):
    """One thing the nightly check flagged (an assessment due for review, training about
    to lapse, a kit overdue), for one due date: flagged and emailed once, however often
    the check runs."""

    class Kind(models.TextChoices):
        ASSESSMENT_REVIEW = "assessment_review", _("Risk assessment due for review")
        TRAINING_LAPSING = "training_lapsing", _("Training about to lapse")
        LOAN_OVERDUE = "loan_overdue", _("Toolkit overdue")

    kind = models.CharField(max_length=30, choices=Kind)
    assessment = models.ForeignKey(
        RiskAssessment, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    training_record = models.ForeignKey(
        TrainingRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    loan = models.ForeignKey(
        ToolkitLoan, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    due_on = models.DateField()
    flagged_at = models.DateTimeField(default=timezone.now)
    # Set once the owners were emailed; a failed email is tried again on the next run.
    emailed_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-flagged_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind="assessment_review",
                    assessment__isnull=False,
                    training_record__isnull=True,
                    loan__isnull=True,
                )
                | Q(
                    kind="training_lapsing",
                    assessment__isnull=True,
                    training_record__isnull=False,
                    loan__isnull=True,
                )
                | Q(
                    kind="loan_overdue",
                    assessment__isnull=True,
                    training_record__isnull=True,
                    loan__isnull=False,
                ),
                name="engagement_alert_names_one_subject",
            ),
            models.UniqueConstraint(
                fields=["assessment", "due_on"],
                condition=Q(assessment__isnull=False),
                name="engagement_alert_assessment_once",
            ),
            models.UniqueConstraint(
                fields=["training_record", "due_on"],
                condition=Q(training_record__isnull=False),
                name="engagement_alert_training_once",
            ),
            models.UniqueConstraint(
                fields=["loan", "due_on"],
                condition=Q(loan__isnull=False),
                name="engagement_alert_loan_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on:%d %b %Y})"
