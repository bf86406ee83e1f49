"""Query building shared by the pages, the exports and the benchmarks.

Totals over a project's roster and funding are correlated subqueries rather than joins,
so that counting roster places and summing money never multiply each other's rows.
"""

from decimal import Decimal
from typing import Self

from django.apps import apps
from django.db import models
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

MONEY = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal("0.00")


def _funding_total(*, condition: Q, field: str = "amount") -> Coalesce:
    FundingLine = apps.get_model("projects", "FundingLine")
    total = (
        FundingLine.objects.filter(condition, project=OuterRef("pk"), status="committed")
        .order_by()
        .values("project")
        .annotate(total=Sum(field))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total, output_field=MONEY), ZERO, output_field=MONEY)


def _roster_count(*, condition: Q | None = None) -> Coalesce:
    RosterEntry = apps.get_model("projects", "RosterEntry")
    counted = (
        RosterEntry.objects.filter(condition or Q(), project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(people=Count("pk"))
        .values("people")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class ProjectQuerySet(models.QuerySet["Project"]):
    def published(self) -> Self:
        return self.filter(is_published=True)

    def in_areas(self, areas: models.QuerySet) -> Self:
        """Projects with an area among these (pass areas with their descendants)."""
        through = self.model.areas.through
        return self.filter(
            models.Exists(
                through.objects.filter(project_id=OuterRef("pk"), area_id__in=areas.values("pk"))
            )
        )

    def with_funding_totals(self) -> Self:
        """committed_total, area_budget_total (the council's area budget) and other_total
        (every other source): the figures leverage is worked out from."""
        return self.annotate(
            committed_total=_funding_total(condition=Q()),
            area_budget_total=_funding_total(condition=Q(source="area_budget")),
            other_total=_funding_total(condition=~Q(source="area_budget")),
            spent_total=_funding_total(condition=Q(), field="spent"),
        )

    def with_roster_counts(self) -> Self:
        return self.annotate(
            roster_count=_roster_count(),
            resident_count=_roster_count(condition=Q(participant__isnull=False)),
        )


class FundingLineQuerySet(models.QuerySet["FundingLine"]):
    def committed(self) -> Self:
        return self.filter(status="committed")

    def grants(self) -> Self:
        """Grants the council has made: committed lines marked as grants."""
        return self.filter(is_grant=True, status="committed")
