from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VotingMethod(models.TextChoices):
    APPROVAL = "approval", _("Approval: tick up to the allowed number of priorities")
    RANKING = "ranking", _("Ranking: number your choices 1, 2, 3...")
    DOTS = "dots", _("Dot voting: share out your dots between priorities")


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
        "governance.Partnership", on_delete=models.PROTECT, related_name="priority_cycles"
    )
    title = models.CharField(max_length=200)
    # The period the adopted priorities cover (South Derbyshire: the next three months).
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=20, choices=Status, default=Status.PROPOSING)
    voting_method = models.CharField(
        max_length=20, choices=VotingMethod, default=VotingMethod.APPROVAL
    )
    # Approval: the most priorities one person may tick; ranking: how many they may rank;
    # dot voting: how many dots each person shares out.
    votes_per_person = models.PositiveSmallIntegerField(default=3)
    # How many priorities the partnership means to adopt (South Derbyshire and the NAGs: 3).
    adopt_count = models.PositiveSmallIntegerField(default=3)
    # Whether an elected member must ratify the board's adoption of each priority.
    needs_ratification = models.BooleanField(default=True)
    # The forum at which the votes are counted, if any.
    forum = models.ForeignKey(
        "governance.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_cycles",
    )
    result_recorded_at = models.DateTimeField(null=True, blank=True)
    # Where the forum's vote tied across the cut-off of a partnership without a board: who
    # decided which of the tied priorities to adopt, and why (the chair's casting vote, a
    # show of hands), and the officer who recorded it.
    tie_break_reason = models.TextField(blank=True)
    tie_broken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="governance_priority_cycle_period_order",
            ),
            models.CheckConstraint(
                condition=Q(votes_per_person__gte=1),
                name="governance_priority_cycle_votes_gte_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.title}"


class Priority(models.Model):
    """A proposed priority of a cycle, its forum result, and what the board made of it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ADOPTED = "adopted", _("Adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")
        COMPLETED = "completed", _("Completed")

    cycle = models.ForeignKey(PriorityCycle, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        "engagement.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priorities_proposed",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PROPOSED)
    # The forum's result, frozen when the officer records it.
    forum_score = models.PositiveIntegerField(null=True, blank=True)
    forum_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    decision = models.ForeignKey(
        "governance.Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priorities",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="governance_priorities"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "forum_rank", "title"]
        verbose_name_plural = _("priorities")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "title"], name="governance_priority_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Ballot(models.Model):
    """One person's set of votes in a cycle, cast online or entered from paper by an
    officer. One per person per cycle: a database constraint."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper, entered by an officer")

    cycle = models.ForeignKey(PriorityCycle, on_delete=models.CASCADE, related_name="ballots")
    participant = models.ForeignKey(
        "engagement.Participant", on_delete=models.PROTECT, related_name="ballots"
    )
    channel = models.CharField(max_length=10, choices=Channel)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cast_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "participant"],
                name="governance_ballot_one_per_person",
                violation_error_message=_("This person has already voted in this cycle."),
            ),
            models.CheckConstraint(
                condition=Q(channel="online") | Q(entered_by__isnull=False),
                name="governance_ballot_paper_has_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"Ballot {self.pk} in {self.cycle}"


class BallotChoice(models.Model):
    """One priority on a ballot: ticked (approval), ranked, or given dots."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    points = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["ballot", "rank", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "priority"], name="governance_choice_once_per_ballot"
            ),
            models.UniqueConstraint(
                fields=["ballot", "rank"],
                condition=Q(rank__isnull=False),
                name="governance_choice_rank_once",
            ),
            models.CheckConstraint(condition=Q(points__gte=1), name="governance_choice_points"),
        ]

    def __str__(self) -> str:
        return f"{self.priority} on ballot {self.ballot_id}"


class PriorityReview(models.Model):
    """A board member's score (1 to 5) and comment on one priority."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="reviews")
    membership = models.ForeignKey(
        "governance.BoardMembership", on_delete=models.CASCADE, related_name="reviews"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "membership"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "membership"], name="governance_review_once_per_member"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="governance_review_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.priority}"


class TaskGroupMember(models.Model):
    """Someone on an adopted priority's task-and-finish group: a resident (participant)
    or a member of staff, councillor or partner (user)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        MEMBER = "member", _("Member")

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="task_group")
    participant = models.ForeignKey(
        "engagement.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_groups",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task_groups",
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    joined_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(participant__isnull=False, user__isnull=True)
                    | Q(participant__isnull=True, user__isnull=False)
                ),
                name="governance_task_group_one_person",
            ),
            models.UniqueConstraint(
                fields=["priority", "participant"], name="governance_task_group_participant_once"
            ),
            models.UniqueConstraint(
                fields=["priority", "user"], name="governance_task_group_user_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.priority}"

    @property
    def person_name(self) -> str:
        return str(self.participant if self.participant_id else self.user)
