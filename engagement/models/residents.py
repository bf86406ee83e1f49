import uuid
from datetime import date, timedelta

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
    # The postal address, with the postcode above: asked for when post is a chosen channel.
    address_line_1 = models.CharField(max_length=100, blank=True)
    address_line_2 = models.CharField(max_length=100, blank=True)
    address_town = models.CharField(max_length=60, blank=True)
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
    # When the person proved the email address is theirs (a confirmation link).
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every edit, so two officers cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)
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
            return str(_("Erased participant"))
        return self.full_name or self.reference or f"Participant {self.pk}"

    @property
    def address_lines(self) -> list[str]:
        """The postal address's lines before the postcode (none without a first line)."""
        if not self.address_line_1:
            return []
        lines = (self.address_line_1, self.address_line_2, self.address_town)
        return [line for line in lines if line]

    @property
    def postal_address(self) -> list[str]:
        """The lines as written on an envelope, the postcode last (none without an address)."""
        lines = self.address_lines
        return [*lines, self.postcode] if lines and self.postcode else lines

    def get_channels_display(self) -> list[str]:
        labels = dict(Channel.choices)
        return [str(labels[code]) for code in self.preferred_channels if code in labels]


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
    # Whether the public may register on the event's page.
    registration_open = models.BooleanField(default=True)
    # Attendees type this on the day to record their own attendance.
    check_in_code = models.CharField(max_length=12, blank=True)
    # How many came, counted by the organiser without names: a partner agency's event (a
    # police surgery) reports this through the API. Null until someone reports it.
    headcount = models.PositiveIntegerField(null=True, blank=True)
    headcount_reported_at = models.DateTimeField(null=True, blank=True)
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

    @property
    def day(self) -> date:
        """The local date the event starts on."""
        return timezone.localtime(self.starts_at).date()

    @property
    def is_before_its_day(self) -> bool:
        """Who came is known only from the event's day: before it, a register would record
        attendance at something that has not happened."""
        return self.day > timezone.localdate()

    @property
    def has_started(self) -> bool:
        """From its start an event has happened (or is under way): who came goes on its
        register and into the participation ledger, so it can no longer be cancelled, nor
        a place at it given up."""
        return self.starts_at <= timezone.now()

    # Attendees check themselves in with the code from an hour before the start until two
    # hours after the end (a register filled in over a cup of tea after the event).
    CHECK_IN_OPENS_BEFORE = timedelta(hours=1)
    CHECK_IN_CLOSES_AFTER = timedelta(hours=2)

    @property
    def check_in_is_open(self) -> bool:
        """Whether an attendee may check in now: the event is going ahead and it is within
        the check-in window."""
        return (
            self.status == self.Status.SCHEDULED
            and self.starts_at - self.CHECK_IN_OPENS_BEFORE
            <= timezone.now()
            <= self.ends_at + self.CHECK_IN_CLOSES_AFTER
        )


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

    @property
    def can_be_given_up(self) -> bool:
        """A place is given up only while it is a registration and the event has not
        started (the event's page offers the button by this rule, and the service keeps
        it). Read through `event.attendances`, so the event is the one already loaded."""
        return self.status == self.Status.REGISTERED and not self.event.has_started


class ParticipationImport(models.Model):
    """A file of attendance and evaluation sheets imported, known by its fingerprint (a
    SHA-256 of its text), so the same file imported again is refused: its rows with no
    reference would each become another new person, counting the same people twice."""

    fingerprint = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(max_length=255, blank=True)
    rows = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.file_name or 'A file'} ({self.rows} rows)"


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


class StreetChampion(models.Model):
    """A resident who looks after a patch of streets (Darlington's Street Champions).

    Signs up on the public pages, confirms their email, is approved by an officer for the
    ward, is inducted (the volunteer involvement pack) and may be given kit.
    """

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Email not yet confirmed")
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for approval")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    class Activity(models.TextChoices):
        REPORT_PROBLEMS = "report_problems", _("Report problems in my patch")
        LEAD_LITTER_PICKS = "lead_litter_picks", _("Lead litter picks")
        RECYCLING_BAGS = "recycling_bags", _("Hand out recycling bags")
        INFORMATION_POINT = "information_point", _("Be an information point for neighbours")

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="street_champion"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.UNCONFIRMED)
    ward = models.ForeignKey(
        "communities.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="street_champions",
    )
    patch = models.TextField(help_text=_("The streets or places the champion looks after."))
    # Activity codes (Activity) the champion offered to do.
    activities = models.JSONField(default=list, blank=True)
    wants_newsletter = models.BooleanField(default=True)
    # The key of the sign-up form submission last applied: a repeated submission of the
    # same form changes nothing and sends no second email.
    signup_key = models.UUIDField(null=True, blank=True)
    signed_up_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="champions_approved",
    )
    inducted_on = models.DateField(null=True, blank=True)
    inducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="champions_inducted",
    )
    kit_issued = models.TextField(blank=True, help_text=_("Litter pickers, bags, hi-vis..."))
    kit_issued_on = models.DateField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    status_reason = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signed_up_at", "pk"]
        indexes = [models.Index(fields=["ward", "status"])]

    def __str__(self) -> str:
        return f"Street champion: {self.participant}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def activity_labels(self) -> list[str]:
        labels = dict(self.Activity.choices)
        return [str(labels[code]) for code in self.activities if code in labels]


class IssueCategory(models.Model):
    """A kind of problem residents report: configurable by administrators."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    hint = models.CharField(max_length=255, blank=True)
    # How long the council aims to take to deal with a report, in days.
    target_days = models.PositiveSmallIntegerField(default=5)
    is_active = models.BooleanField(default=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name_plural = _("issue categories")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_days__gte=1), name="engagement_category_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AreaTeam(models.Model):
    """A council team that deals with reports in some areas, for some or all categories.

    Routing picks, for a report's ward and category, the most specific team: one naming
    the category before one taking every category, and one covering the ward itself
    before one covering a larger area that holds it.
    """

    name = models.CharField(max_length=150, unique=True)
    email = models.EmailField(blank=True, help_text=_("Where new reports are announced."))
    areas = models.ManyToManyField("communities.Area", related_name="area_teams")
    categories = models.ManyToManyField(
        IssueCategory,
        blank=True,
        related_name="teams",
        help_text=_("Leave empty for a team that takes every category."),
    )
    # A team a partner agency runs (a police Safer Neighbourhood team for anti-social
    # behaviour): the agency's API client may move the team's reports along.
    partner_agency = models.ForeignKey(
        "governance.PartnerAgency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="area_teams",
        help_text=_("The partner agency that runs this team, if not the council."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReportState(models.Model):
    """A state an issue report can be in: data, so a council can add its own."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    description = models.CharField(
        max_length=255, blank=True, help_text=_("What the state means, as the reporter reads it.")
    )
    # Open states are the team's work in hand: only they can be overdue.
    is_open = models.BooleanField(default=True)
    # The state every new report starts in (exactly one).
    is_initial = models.BooleanField(default=False)
    # Reaching this state counts as the problem fixed (for resolution times).
    is_fixed = models.BooleanField(default=False)
    # A report merged into another lands in this state.
    is_duplicate = models.BooleanField(default=False)
    display_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_order", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_initial"],
                condition=Q(is_initial=True),
                name="engagement_report_state_one_initial",
            ),
            models.UniqueConstraint(
                fields=["is_duplicate"],
                condition=Q(is_duplicate=True),
                name="engagement_report_state_one_duplicate",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class IssueReportQuerySet(models.QuerySet["IssueReport"]):
    def open(self) -> "IssueReportQuerySet":
        return self.filter(state__is_open=True)

    def overdue(self, *, now=None) -> "IssueReportQuerySet":
        return self.open().filter(due_at__lt=now or timezone.now())


class IssueReport(models.Model):
    """A problem in the street reported by a resident or a street champion."""

    class Priority(models.IntegerChoices):
        NORMAL = 0, _("Normal")
        CHAMPION = 10, _("Street champion")
        URGENT = 20, _("Urgent")

    category = models.ForeignKey(IssueCategory, on_delete=models.PROTECT, related_name="reports")
    state = models.ForeignKey(ReportState, on_delete=models.PROTECT, related_name="reports")
    description = models.TextField()
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    location_description = models.CharField(max_length=255, blank=True)
    ward = models.ForeignKey(
        "communities.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issue_reports",
    )
    team = models.ForeignKey(
        AreaTeam, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    reporter = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issue_reports",
    )
    by_champion = models.BooleanField(default=False)
    # Shown publicly without the reporter's name.
    anonymous = models.BooleanField(default=False)
    priority = models.SmallIntegerField(choices=Priority, default=Priority.NORMAL)
    due_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    fixed_at = models.DateTimeField(null=True, blank=True)
    # Seconds from the report to the first change of state and to being fixed, kept so
    # that averages are plain SQL on every database.
    response_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolution_seconds = models.PositiveIntegerField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # The key of the form submission that made it: a repeated submission finds it.
    submission_key = models.UUIDField(null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueReportQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "created_at", "pk"]
        indexes = [
            models.Index(fields=["ward", "created_at"]),
            models.Index(fields=["category", "latitude", "longitude"]),
            models.Index(fields=["state", "priority", "created_at"]),
            models.Index(fields=["due_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(
                        latitude__gte=-90,
                        latitude__lte=90,
                        longitude__gte=-180,
                        longitude__lte=180,
                    )
                ),
                name="engagement_report_point_valid",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("pk")), name="engagement_report_not_own_duplicate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.category}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("engagement:report_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"R{self.pk:06d}" if self.pk else "R-new"

    @property
    def is_overdue(self) -> bool:
        return bool(self.state.is_open and self.due_at and self.due_at < timezone.now())

    @property
    def where(self) -> str:
        parts = [self.location_description, self.postcode]
        return ", ".join(p for p in parts if p) or (
            f"{self.latitude}, {self.longitude}" if self.latitude is not None else ""
        )


class IssueReportUpdate(models.Model):
    """A change of a report's state, with the note the reporter is sent."""

    report = models.ForeignKey(IssueReport, on_delete=models.CASCADE, related_name="updates")
    from_state = models.ForeignKey(
        ReportState, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_state = models.ForeignKey(ReportState, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_updates",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report.reference}: {self.to_state}"


def issue_photo_path(photo: "IssuePhoto", filename: str) -> str:
    # Never under a public media URL: photos are served through a view that checks who
    # may see them. The name is random, the person's file name is not kept.
    return f"private/issue-photos/{uuid.uuid4().hex}.jpg"


class IssuePhoto(models.Model):
    """A photo of a reported problem, stored with its EXIF metadata stripped."""

    report = models.ForeignKey(IssueReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=issue_photo_path, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # Where the camera said the photo was taken (EXIF GPS), read before stripping.
    exif_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    exif_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return f"Photo {self.pk} of {self.report.reference}"


class EventFeedback(models.Model):
    """An attendee's evaluation of an event: anonymous, so not personal data."""

    class Rating(models.IntegerChoices):
        POOR = 1, _("Poor")
        FAIR = 2, _("Fair")
        GOOD = 3, _("Good")
        VERY_GOOD = 4, _("Very good")
        EXCELLENT = 5, _("Excellent")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(choices=Rating)
    went_well = models.TextField(blank=True)
    could_be_better = models.TextField(blank=True)
    submission_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="engagement_feedback_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.event}"
