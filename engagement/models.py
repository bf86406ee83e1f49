import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ParticipationLevel(models.TextChoices):
    """How much a person wants to take part: shared by profiles and project rosters."""

    INFORMED = "informed", _("Keep me informed")
    CONSULTED = "consulted", _("Consult me")
    INVOLVED = "involved", _("Involve me")
    LEADING = "leading", _("I want to lead")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Participant(models.Model):
    """A resident who takes part: one profile across every project, event and board.

    Contact details live here; equality answers never do (see EqualityResponse).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant",
    )
    # A paper sheet's or spreadsheet's own reference for someone known by no other detail.
    reference = models.CharField(max_length=60, null=True, blank=True, unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    home_lsoa = models.ForeignKey(
        "communities.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resident_participants",
    )
    home_ward = models.ForeignKey(
        "communities.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ward_participants",
    )
    participation_level = models.CharField(
        max_length=20, choices=ParticipationLevel, default=ParticipationLevel.INFORMED
    )
    # Channel codes (Channel) the person prefers, in their order of preference.
    preferred_channels = models.JSONField(default=list, blank=True)
    accessibility_needs = models.TextField(blank=True)
    # The only link to this person's equality answers, which are stored apart.
    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Set when the person's data was erased: the row stays as an anonymous count.
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="engagement_participant_email_ci_unique",
            ),
        ]

    def __str__(self) -> str:
        if self.erased_at:
            return _("Erased participant")
        return self.full_name or self.reference or f"Participant {self.pk}"


class EqualityResponse(models.Model):
    """A participant's equality-monitoring answers, as given at one time.

    Keyed by the participant's pseudonym, never by a foreign key, and kept apart from
    contact details. Every answer is optional: blank means not asked or not answered,
    communities.census.PREFER_NOT_TO_SAY means the person chose not to say. The codes are
    those of communities.census, so the reports compare like with like.
    """

    class LawfulBasis(models.TextChoices):
        EXPLICIT_CONSENT = "explicit_consent", _("Explicit consent")
        EQUALITY_OF_OPPORTUNITY = (
            "equality_of_opportunity",
            _("Equality of opportunity or treatment (DPA 2018 Sch. 1 para. 8)"),
        )

    class Source(models.TextChoices):
        ONLINE = "online", _("Online form")
        PAPER = "paper", _("Paper form or evaluation sheet")
        OFFICER = "officer", _("Entered by an officer")

    pseudonym = models.UUIDField(db_index=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    # Set when a newer response replaced this one; the latest has none.
    superseded_at = models.DateTimeField(null=True, blank=True)
    lawful_basis = models.CharField(max_length=40, choices=LawfulBasis)
    source = models.CharField(max_length=20, choices=Source, default=Source.ONLINE)
    year_of_birth = models.PositiveSmallIntegerField(null=True, blank=True)
    age_prefer_not_to_say = models.BooleanField(default=False)
    sex = models.CharField(max_length=60, blank=True)
    gender_identity = models.CharField(max_length=60, blank=True)
    sexual_orientation = models.CharField(max_length=60, blank=True)
    ethnic_group = models.CharField(max_length=60, blank=True)
    disability = models.CharField(max_length=60, blank=True)
    religion = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pseudonym"],
                condition=Q(superseded_at__isnull=True),
                name="engagement_equality_one_current_per_person",
            ),
            models.CheckConstraint(
                condition=Q(year_of_birth__isnull=True) | Q(year_of_birth__gte=1900),
                name="engagement_equality_year_of_birth_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"Equality response {self.pk}"


class EventSeries(models.Model):
    """Events that belong together: a forum's meetings, a year's litter campaign..."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    partnership = models.ForeignKey(
        "governance.Partnership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_series",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("event series")

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """A forum, litter pick, get-together, workshop or training session."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum or public meeting")
        LITTER_PICK = "litter_pick", _("Litter pick")
        GET_TOGETHER = "get_together", _("Get-together")
        WORKSHOP = "workshop", _("Workshop")
        TRAINING = "training", _("Training")
        BOARD_MEETING = "board_meeting", _("Board meeting")
        OTHER = "other", _("Other event")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind)
    status = models.CharField(max_length=20, choices=Status, default=Status.SCHEDULED)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=255, help_text=_("Where: a name and address."))
    area = models.ForeignKey("communities.Area", on_delete=models.PROTECT, related_name="events")
    series = models.ForeignKey(
        EventSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    partnership = models.ForeignKey(
        "governance.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    organising_agency = models.ForeignKey(
        "governance.PartnerAgency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    capacity = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="engagement_event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d %b %Y})"


class Attendance(models.Model):
    """A participant's registration for, and attendance at, one event."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Did not attend")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.REGISTERED)
    hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    channel = models.CharField(max_length=20, choices=Channel, default=Channel.IN_PERSON)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant"], name="engagement_attendance_once_per_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} at {self.event}"


class ParticipationRecord(models.Model):
    """One qualifying action by a participant: the ledger the inclusion reports count.

    Written only through engagement.participation.participation_record, by the service
    that makes the action (attendance taken, roster joined, report made, vote cast...),
    and removed with it. `source` names that action, so recording twice changes nothing.
    """

    class Kind(models.TextChoices):
        ATTENDANCE = "attendance", _("Attended an event")
        ROSTER = "roster", _("Joined a project")
        CHAMPION_ACTIVITY = "champion_activity", _("Street champion activity")
        ISSUE_REPORT = "issue_report", _("Reported a problem")
        VOTE = "vote", _("Voted on priorities")
        BOARD = "board", _("Sat on a board")
        VOLUNTEERING = "volunteering", _("Volunteered")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="participation_records"
    )
    kind = models.CharField(max_length=30, choices=Kind)
    occurred_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=Channel, blank=True)
    # Where it happened (a ward or larger area), when known; else the person's home ward.
    area = models.ForeignKey(
        "communities.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participation_records",
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participation_records",
    )
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participation_records",
    )
    partnership = models.ForeignKey(
        "governance.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participation_records",
    )
    priority_cycle = models.ForeignKey(
        "governance.PriorityCycle",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participation_records",
    )
    # "<app_label>.<model>:<pk>" of the action itself, e.g. "engagement.attendance:12".
    source = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["participant", "occurred_at"]),
            models.Index(fields=["project", "occurred_at"]),
            models.Index(fields=["area", "occurred_at"]),
            models.Index(fields=["partnership", "occurred_at"]),
            models.Index(fields=["occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.source})"
