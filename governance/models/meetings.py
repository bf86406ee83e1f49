from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    """A forum or a board meeting of a partnership. Its date, place and public attendance
    are those of its engagement.Event; the board's own business (agenda, members present,
    declarations, decisions and minutes) lives here."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum")
        BOARD = "board", _("Board meeting")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    partnership = models.ForeignKey(
        "governance.Partnership", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    event = models.OneToOneField(
        "engagement.Event", on_delete=models.PROTECT, related_name="governance_meeting"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)
    # Written for the public: the published minutes name no member of the public.
    minutes = models.TextField(blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-event__starts_at", "-pk"]

    def __str__(self) -> str:
        return str(self.event)

    @property
    def title(self) -> str:
        return self.event.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    paper = models.FileField(upload_to="governance/papers/%Y/%m/", blank=True)
    paper_title = models.CharField(max_length=200, blank=True)
    # Exempt business (e.g. a named applicant's grant) is left out of published minutes.
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="governance_item_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MemberAttendance(models.Model):
    """Whether a board member was at a meeting: the basis of the quorum."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        APOLOGIES = "apologies", _("Sent apologies")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="member_attendance"
    )
    membership = models.ForeignKey(
        "governance.BoardMembership", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(max_length=10, choices=Status)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "membership"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="governance_member_attendance_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.get_status_display()}"


class InterestDeclaration(models.Model):
    """A board member's declared interest in one agenda item: they may not vote on it."""

    class Kind(models.TextChoices):
        PECUNIARY = "pecuniary", _("Disclosable pecuniary interest")
        OTHER_REGISTRABLE = "other_registrable", _("Other registrable interest")
        NON_REGISTRABLE = "non_registrable", _("Non-registrable interest")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    membership = models.ForeignKey(
        "governance.BoardMembership", on_delete=models.CASCADE, related_name="declarations"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    nature = models.TextField(help_text=_("What the interest is."))
    # Whether the member left the room for the item.
    withdrew = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "membership"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "membership"], name="governance_declaration_once_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.item}"


class Decision(models.Model):
    """A motion put to the board on an agenda item, and the recorded vote on it."""

    class Outcome(models.TextChoices):
        CARRIED = "carried", _("Carried")
        LOST = "lost", _("Lost")

    class Effect(models.TextChoices):
        NONE = "", _("No effect on a priority")
        ADOPT = "adopt", _("Adopt the priority")
        REJECT = "reject", _("Do not adopt the priority")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    motion = models.TextField()
    proposer = models.ForeignKey(
        "governance.BoardMembership", on_delete=models.PROTECT, related_name="+"
    )
    seconder = models.ForeignKey(
        "governance.BoardMembership", on_delete=models.PROTECT, related_name="+"
    )
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    abstentions = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=Outcome)
    # A decision on a priority of the cycle the meeting reviews.
    priority = models.ForeignKey(
        "governance.Priority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    effect = models.CharField(max_length=10, choices=Effect, blank=True, default=Effect.NONE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["item", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(proposer=F("seconder")),
                name="governance_decision_seconder_not_proposer",
            ),
            models.CheckConstraint(
                condition=Q(outcome="carried", votes_for__gt=F("votes_against"))
                | Q(outcome="lost", votes_for__lte=F("votes_against")),
                name="governance_decision_outcome_matches_votes",
            ),
            models.CheckConstraint(
                condition=Q(effect="") | Q(priority__isnull=False),
                name="governance_decision_effect_names_priority",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.motion[:60]} ({self.get_outcome_display()})"


class DecisionVote(models.Model):
    """How one member voted on a decision (a recorded vote)."""

    class Vote(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    membership = models.ForeignKey(
        "governance.BoardMembership", on_delete=models.PROTECT, related_name="votes"
    )
    vote = models.CharField(max_length=10, choices=Vote)

    class Meta:
        ordering = ["decision", "membership"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "membership"], name="governance_decision_vote_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_vote_display()} on decision {self.decision_id}"
