"""Factories for the inclusion reports: participants with equality answers and ledger
rows, census tables, targets and reports (requested through the services)."""

import uuid
from datetime import date, datetime, time

import factory
from django.utils import timezone

from communities import census
from communities.models import CensusTable, PopulationBaseline
from engagement import services as engagement_services
from engagement.inclusion.models import Report, ScopeKind, Target
from engagement.inclusion.services import ReportScope, report_request
from engagement.models import EventSeries, Participant, ParticipationRecord
from governance.models import Partnership, PriorityCycle
from tests.engagement.factories import ParticipantFactory
from tests.projects.factories import ProjectFactory  # noqa: F401 - used by the tests


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Partnership {n}")
    kind = Partnership.Kind.AREA_ACTION_PARTNERSHIP


class PriorityCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityCycle

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Priorities round {n}")
    period_start = date(2026, 4, 1)
    period_end = date(2026, 6, 30)


class EventSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventSeries

    name = factory.Sequence(lambda n: f"Series {n}")


class ParticipationRecordFactory(factory.django.DjangoModelFactory):
    """A ledger row (the services write these for real actions; tests name the action)."""

    class Meta:
        model = ParticipationRecord

    participant = factory.SubFactory(ParticipantFactory)
    kind = ParticipationRecord.Kind.ATTENDANCE
    occurred_at = factory.LazyFunction(
        lambda: timezone.make_aware(datetime.combine(date(2026, 3, 15), time(10)))
    )
    channel = "in_person"
    area = factory.LazyAttribute(lambda o: o.participant.home_ward)
    source = factory.Sequence(lambda n: f"tests.action:{n}")


def on(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def answers(**given) -> engagement_services.EqualityAnswers:
    return engagement_services.EqualityAnswers(**given)


def person_with(
    *,
    ward,
    lsoa=None,
    actions: int = 1,
    when: date = date(2026, 3, 15),
    recorded_at: datetime | None = None,
    **given,
) -> Participant:
    """A participant living in `ward` who took `actions` qualifying actions there on
    `when`, and (if any answers are given) gave those equality answers."""
    person = ParticipantFactory(
        home_ward=ward, home_lsoa=lsoa, email=f"person-{uuid.uuid4().hex[:12]}@example.org"
    )
    if given:
        response = engagement_services.equality_response_record(
            participant=person, answers=answers(**given)
        )
        if recorded_at is not None:
            type(response).objects.filter(pk=response.pk).update(recorded_at=recorded_at)
    for _ in range(actions):
        ParticipationRecordFactory(participant=person, area=ward, occurred_at=on(when))
    return person


def census_table(area, table: str, counts: dict[str, int], *, total: int | None = None):
    """One imported census table for an area: its categories' counts and its own total
    (by default the sum of its most detailed categories, as published)."""
    dimension = census.TABLES[table]["dimension"]
    leaves = {c.code for c in census.table_leaves(table)}
    if total is None:
        total = sum(v for k, v in counts.items() if k in leaves)
    found = CensusTable.objects.create(
        area=area, table=table, dimension=dimension, total=total, source="tests"
    )
    rows = dict(counts)
    # Every level is stored: parents are the sums of their categories.
    dim = census.dimension(dimension)
    for category in census.table_categories(table):
        if category.code not in rows and any(
            c.parent == category.code for c in census.table_categories(table)
        ):
            rows[category.code] = sum(
                v
                for k, v in counts.items()
                if dim.has(k) and dim.category(k).parent == category.code
            )
    PopulationBaseline.objects.bulk_create(
        [
            PopulationBaseline(table=found, area=area, dimension=dimension, category=k, count=v)
            for k, v in rows.items()
        ]
    )
    return found


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    dimension = "ethnic_group"
    category = "asian"
    minimum_percent = 5
    maximum_percent = 20


class ReportFactory(factory.django.DjangoModelFactory):
    """A report requested through the service (its job runs in-process in tests)."""

    class Meta:
        model = Report

    scope_kind = ScopeKind.AREA
    obj = None
    start = date(2026, 1, 1)
    end = date(2026, 6, 30)
    requested_by = None
    minimum_age = 16

    @classmethod
    def _create(cls, model_class, *args, scope_kind, obj, start, end, requested_by, minimum_age):
        return report_request(
            scope=ReportScope(scope_kind, obj),
            start=start,
            end=end,
            requested_by=requested_by,
            minimum_age=minimum_age,
        )
