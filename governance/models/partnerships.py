import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PartnerAgency(models.Model):
    """An organisation that works with the council: police, NHS, fire, a charity..."""

    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        FIRE = "fire", _("Fire and rescue")
        NHS = "nhs", _("NHS")
        PROBATION = "probation", _("Probation")
        HOUSING = "housing", _("Housing provider")
        VOLUNTARY = "voluntary", _("Voluntary and community sector")
        PARISH = "parish", _("Town or parish council")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("partner agencies")

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """A standing partnership for an area: an Area Action Partnership, a Safer
    Neighbourhood partnership, a Neighbourhood Action Group..."""

    class Kind(models.TextChoices):
        AREA_ACTION_PARTNERSHIP = "aap", _("Area Action Partnership")
        SAFER_NEIGHBOURHOOD = "safer_neighbourhood", _("Safer Neighbourhood partnership")
        NEIGHBOURHOOD_ACTION_GROUP = "nag", _("Neighbourhood Action Group")
        OTHER = "other", _("Other partnership")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind)
    area = models.ForeignKey(
        "communities.Area", on_delete=models.PROTECT, related_name="partnerships"
    )
    agencies = models.ManyToManyField(PartnerAgency, blank=True, related_name="partnerships")
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Budget(models.Model):
    """Money the council devolves for a year: an area budget for a partnership (Durham:
    £120,000 per AAP), a councillor's neighbourhood budget (£25,000 each), a small grants
    fund (South Derbyshire: grants up to £2,500). Projects' funding lines draw on it: they
    are its awards (projects.ledger reads what it has committed, pending and left)."""

    class Kind(models.TextChoices):
        AREA_BUDGET = "area_budget", _("Area budget")
        NEIGHBOURHOOD_BUDGET = "neighbourhood_budget", _("Councillor neighbourhood budget")
        SMALL_GRANTS = "small_grants", _("Small grants fund")

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind)
    financial_year = models.PositiveSmallIntegerField(
        help_text=_("The year the financial year starts in: 2026 for 2026/27.")
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    area = models.ForeignKey("communities.Area", on_delete=models.PROTECT, related_name="budgets")
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="budgets"
    )
    # The elected member whose neighbourhood budget this is.
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budgets_held",
    )
    # The most a single grant from this budget may be (small grants), if capped.
    max_award = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-financial_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="governance_budget_amount_not_negative"
            ),
            models.UniqueConstraint(
                fields=["name", "financial_year"], name="governance_budget_name_year_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.financial_year}/{(self.financial_year + 1) % 100:02d}"

    @staticmethod
    def financial_year_of(day: datetime.date) -> int:
        """The financial year (April to March) a day falls in, by the year it starts."""
        return day.year if day.month >= 4 else day.year - 1
