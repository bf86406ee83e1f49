"""Factories for the projects app (and the participants and budgets it needs)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from engagement.models import Participant
from governance.models import Budget
from projects.models import (
    CommissioningAssessment,
    FundingLine,
    Indicator,
    LadderRung,
    Measurement,
    Project,
    ProjectDocument,
    RosterEntry,
    ServiceArea,
)
from tests.accounts.factories import OfficerFactory
from tests.communities.factories import GroupingAreaFactory


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Service {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A resident's profile (engagement.Participant), living in `home_ward`."""

    class Meta:
        model = Participant

    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    home_ward = None
    participation_level = "involved"


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project in design, in the given `areas`, co-designed and collective."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CP-T{n:05d}")
    title = factory.Sequence(lambda n: f"Project {n}")
    summary = "Residents and the council redesign the service together."
    co_design = True
    ladder_target = LadderRung.PARTNERSHIP

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def partner_agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.partner_agencies.set(extracted)


class RosterEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RosterEntry

    project = factory.SubFactory(ProjectFactory)
    participant = factory.SubFactory(ParticipantFactory)
    user = None
    role = RosterEntry.Role.CO_DESIGNER
    participation_level = "involved"
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    hours = Decimal("4.00")


class StaffLeadFactory(RosterEntryFactory):
    participant = None
    user = factory.SubFactory(OfficerFactory)
    role = RosterEntry.Role.STAFF_LEAD


class ProjectDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectDocument

    project = factory.SubFactory(ProjectFactory)
    stage = factory.LazyAttribute(lambda doc: doc.project.stage)
    kind = ProjectDocument.Kind.DECISION
    title = "Workshop decisions"
    summary = "Residents chose the three priorities to work on."
    recorded_by = factory.SubFactory(OfficerFactory)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget
        django_get_or_create = ("name", "financial_year")

    name = factory.Sequence(lambda n: f"Area budget {n}")
    kind = Budget.Kind.AREA_BUDGET
    financial_year = factory.LazyFunction(lambda: Budget.financial_year_of(timezone.localdate()))
    amount = Decimal("120000.00")
    area = None


def _budget_area(budget):
    # The line's project's first area, or an area of its own.
    return budget.factory_parent.project.areas.first() or GroupingAreaFactory()


class FundingLineFactory(factory.django.DjangoModelFactory):
    """A committed line, written directly (as if already decided). A line from a devolved
    source draws on a budget of its kind, for the project's area, unless one is given."""

    class Meta:
        model = FundingLine

    project = factory.SubFactory(ProjectFactory)
    source = FundingLine.Source.AREA_BUDGET
    budget = factory.Maybe(
        factory.LazyAttribute(lambda line: line.source in FundingLine.DEVOLVED_SOURCES),
        yes_declaration=factory.SubFactory(
            BudgetFactory,
            kind=factory.LazyAttribute(
                lambda budget: FundingLine.BUDGET_KINDS[budget.factory_parent.source]
            ),
            area=factory.LazyAttribute(_budget_area),
        ),
        no_declaration=None,
    )
    amount = Decimal("2500.00")
    status = FundingLine.Status.COMMITTED
    committed_on = factory.LazyFunction(timezone.localdate)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Calls about anti-social behaviour {n}")
    kind = Indicator.Kind.OUTCOME
    unit = Indicator.Unit.NUMBER
    measure = "calls to the police a year"
    direction = Indicator.Direction.DOWN
    baseline_value = Decimal("5899")
    baseline_on = datetime.date(2007, 3, 31)
    target_value = Decimal("4000")
    target_on = datetime.date(2012, 3, 31)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = datetime.date(2012, 3, 31)
    value = Decimal("3666")


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissioningAssessment

    project = factory.SubFactory(ProjectFactory)
    provider_name = "Friends of Abbey Park"
    service_part = "Weekly litter picks and reporting of fly-tipping"
    capacity = CommissioningAssessment.Rating.READY
    skills = CommissioningAssessment.Rating.WITH_SUPPORT
    governance = CommissioningAssessment.Rating.READY
    insurance = CommissioningAssessment.Rating.READY
    risks = CommissioningAssessment.Rating.WITH_SUPPORT
    can_deliver = CommissioningAssessment.Capability.PART
    decision = CommissioningAssessment.Decision.CO_DELIVER
    decision_reason = "The group can run litter picks; hazardous fly-tips stay with the council."
    assessed_by = factory.SubFactory(OfficerFactory)
    assessed_on = factory.LazyFunction(timezone.localdate)
