from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from engagement.models import ParticipationLevel


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


class Project(models.Model):
    """A co-production project, from design through commission, delivery and evaluation."""

    class Stage(models.TextChoices):
        DESIGN = "design", _("Design")
        COMMISSION = "commission", _("Commission")
        DELIVER = "deliver", _("Deliver")
        EVALUATE = "evaluate", _("Evaluate")
        CLOSED = "closed", _("Closed")
        STOPPED = "stopped", _("Stopped")

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
    # Incremented on every change, so two officers cannot overwrite each other's edits.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


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
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.project}"
