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
        """committed_total, devolved_total (money from the council's devolved budgets:
        area and neighbourhood budgets, small grants), levered_total (partner and
        external match money) and spent_total: the figures leverage is worked out from."""
        FundingLine = apps.get_model("projects", "FundingLine")
        return self.annotate(
            committed_total=_funding_total(condition=Q()),
            devolved_total=_funding_total(condition=Q(source__in=FundingLine.DEVOLVED_SOURCES)),
            levered_total=_funding_total(condition=Q(source__in=FundingLine.LEVERED_SOURCES)),
            spent_total=_funding_total(condition=Q(), field="spent"),
        )

    def open(self) -> Self:
        """Projects still running: not closed or stopped."""
        stage = self.model.Stage
        return self.exclude(stage__in=[stage.CLOSED, stage.STOPPED])

    def in_stage_order(self) -> Self:
        """Ordered as a project moves (design, commission, deliver, evaluate, then closed
        and stopped: the order the stages are declared in), by title within a stage; not
        by the stages' stored names."""
        rank = models.Case(
            *(models.When(stage=stage, then=i) for i, stage in enumerate(self.model.Stage)),
            output_field=IntegerField(),
        )
        return self.alias(stage_rank=rank).order_by("stage_rank", "title", "pk")

    def with_roster_counts(self) -> Self:
        return self.annotate(
            roster_count=_roster_count(),
            resident_count=_roster_count(condition=Q(participant__isnull=False)),
        )


class FundingLineQuerySet(models.QuerySet["FundingLine"]):
    def committed(self) -> Self:
        return self.filter(status="committed")

    def pending(self) -> Self:
        """Waiting for an elected member's decision: money the budget holds for it."""
        return self.filter(status="awaiting_signoff")

    def devolved(self) -> Self:
        return self.filter(source__in=self.model.DEVOLVED_SOURCES)

    def levered(self) -> Self:
        return self.filter(source__in=self.model.LEVERED_SOURCES)

    def grants(self) -> Self:
        """Grants the council has made: committed lines marked as grants."""
        return self.filter(is_grant=True, status="committed")
