from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Board(models.Model):
    """A partnership's board: seats in categories, each with its own quorum.

    Durham's Area Action Partnership boards have 21 seats: 7 community members, 7 elected
    members and 7 partner managers.
    """

    partnership = models.OneToOneField(
        "governance.Partnership", on_delete=models.PROTECT, related_name="board"
    )
    name = models.CharField(max_length=200)
    # The fewest members who must be present for the board to decide anything, whatever
    # their category (each category may also set its own minimum).
    quorum = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SeatCategory(models.Model):
    """A category of seats on a board, with how many there are and its own quorum."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community member")
        ELECTED_MEMBER = "elected_member", _("Elected member")
        PARTNER = "partner", _("Partner manager")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="categories")
    kind = models.CharField(max_length=20, choices=Kind)
    seats = models.PositiveSmallIntegerField()
    # Members of this category who must be present for a decision.
    quorum = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["board", "kind"]
        verbose_name_plural = _("seat categories")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "kind"], name="governance_seat_category_once"
            ),
            models.CheckConstraint(
                condition=Q(quorum__lte=F("seats")),
                name="governance_seat_category_quorum_within_seats",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board}: {self.get_kind_display()} ({self.seats})"


class Seat(models.Model):
    """One numbered seat of a category. A category has exactly `seats` of these (kept so by
    governance.services.board_seats_set), and a seat holds at most one current member
    (a database constraint), so a category's seats can never be exceeded."""

    category = models.ForeignKey(SeatCategory, on_delete=models.CASCADE, related_name="seat_set")
    number = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category", "number"]
        constraints = [
            models.UniqueConstraint(fields=["category", "number"], name="governance_seat_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="governance_seat_number_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.get_kind_display()} seat {self.number}"


class BoardMembership(models.Model):
    """Someone holding a seat for a term: a community member (a participant), or an
    elected member or partner manager (a user)."""

    class Position(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice chair")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        ENDED = "ended", _("Ended")

    class Route(models.TextChoices):
        APPOINTED = "appointed", _("Appointed")
        NOMINATED = "nominated", _("Nominated by their organisation")
        LOTTERY = "lottery", _("Selected by lottery")
        ELECTED = "elected", _("Elected by the forum")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    category = models.ForeignKey(
        SeatCategory, on_delete=models.PROTECT, related_name="memberships"
    )
    # A current member always holds a seat; a seat abolished later leaves past members'
    # records without one.
    seat = models.ForeignKey(
        Seat, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    participant = models.ForeignKey(
        "engagement.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_memberships",
    )
    position = models.CharField(max_length=20, choices=Position, default=Position.MEMBER)
    route = models.CharField(max_length=20, choices=Route, default=Route.APPOINTED)
    lottery_draw = models.ForeignKey(
        "governance.LotteryDraw",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    term_start = models.DateField()
    term_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.CURRENT)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["board", "category__kind", "seat__number", "-term_start"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(participant__isnull=False, user__isnull=True)
                    | Q(participant__isnull=True, user__isnull=False)
                ),
                name="governance_membership_one_person",
            ),
            models.UniqueConstraint(
                fields=["seat"],
                condition=Q(status="current"),
                name="governance_membership_one_current_per_seat",
                violation_error_message=_("That seat is already taken."),
            ),
            models.UniqueConstraint(
                fields=["board", "participant"],
                condition=Q(status="current"),
                name="governance_membership_participant_once",
            ),
            models.UniqueConstraint(
                fields=["board", "user"],
                condition=Q(status="current"),
                name="governance_membership_user_once",
            ),
            models.UniqueConstraint(
                fields=["board", "position"],
                condition=Q(status="current", position__in=["chair", "vice_chair"]),
                name="governance_membership_one_chair_and_vice",
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="governance_membership_term_order",
            ),
            models.CheckConstraint(
                condition=Q(status="ended") | Q(seat__isnull=False),
                name="governance_membership_current_holds_seat",
            ),
            models.CheckConstraint(
                condition=Q(status="current", ended_on__isnull=True)
                | Q(status="ended", ended_on__isnull=False),
                name="governance_membership_ended_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.category.get_kind_display()})"

    @property
    def person_name(self) -> str:
        person = self.participant if self.participant_id else self.user
        return str(person)
