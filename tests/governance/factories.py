"""Governance test data, built through the same services the product uses where one
exists (boards, cycles, meetings, ballots)."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from engagement.models import EqualityResponse, Participant
from governance.models import (
    Board,
    Budget,
    Meeting,
    PartnerAgency,
    Partnership,
    Priority,
    PriorityCycle,
    SeatCategory,
    VotingMethod,
)
from projects.models import Project
from tests.communities.factories import GroupingAreaFactory

DURHAM_SEATS = {
    SeatCategory.Kind.COMMUNITY: 7,
    SeatCategory.Kind.ELECTED_MEMBER: 7,
    SeatCategory.Kind.PARTNER: 7,
}


class PartnerAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerAgency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Partner agency {n}")
    kind = PartnerAgency.Kind.POLICE


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Area Action Partnership {n}")
    kind = Partnership.Kind.AREA_ACTION_PARTNERSHIP
    area = factory.SubFactory(GroupingAreaFactory)

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.agencies.add(*extracted)


class BoardFactory(factory.django.DjangoModelFactory):
    """A board made by governance.services.boards.board_create (Durham's 7/7/7 unless
    told otherwise)."""

    class Meta:
        model = Board

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.LazyAttribute(lambda o: f"{o.partnership.name} board")
    quorum = 6
    seats = factory.LazyFunction(lambda: dict(DURHAM_SEATS))
    category_quorums = factory.LazyFunction(dict)
    created_by = factory.SubFactory("tests.accounts.factories.OfficerFactory")

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Board:
        from governance.services.boards import board_create

        return board_create(**kwargs)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    postcode = "DL1 5QT"
    home_ward = None


class EqualityResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EqualityResponse

    pseudonym = factory.LazyFunction(lambda: ParticipantFactory().pseudonym)
    lawful_basis = EqualityResponse.LawfulBasis.EXPLICIT_CONSENT
    year_of_birth = 1980
    sex = "female"
    ethnic_group = "white_british"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"GOV-{n:04d}")
    title = factory.Sequence(lambda n: f"Community project {n}")
    stage = Project.Stage.DESIGN

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)


class PriorityCycleFactory(factory.django.DjangoModelFactory):
    """A cycle made by priority_cycle_create; `status` moves it on afterwards."""

    class Meta:
        model = PriorityCycle

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Priorities round {n}")
    period_start = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    period_end = factory.LazyAttribute(lambda o: o.period_start + dt.timedelta(days=90))
    voting_method = VotingMethod.APPROVAL
    votes_per_person = 3
    adopt_count = 3
    needs_ratification = True
    created_by = factory.SubFactory("tests.accounts.factories.OfficerFactory")

    @classmethod
    def _create(cls, model_class, *args, status=None, **kwargs) -> PriorityCycle:
        from governance.services.priorities import priority_cycle_create

        cycle = priority_cycle_create(**kwargs)
        if status is not None:
            # Tests may start a cycle at any stage without walking it there.
            PriorityCycle.objects.filter(pk=cycle.pk).update(status=status)
            cycle.refresh_from_db()
        return cycle


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    cycle = factory.SubFactory(PriorityCycleFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    description = "Make the area safer and cleaner."


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting made by meeting_create, with its engagement event."""

    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Meeting.Kind.BOARD
    title = factory.Sequence(lambda n: f"Board meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place = "Town Hall, Market Place"
    created_by = factory.SubFactory("tests.accounts.factories.OfficerFactory")

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Meeting:
        from governance.services.meetings import meeting_create

        return meeting_create(**kwargs)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget
        django_get_or_create = ("name", "financial_year")

    name = factory.Sequence(lambda n: f"Budget {n}")
    kind = Budget.Kind.AREA_BUDGET
    financial_year = factory.LazyFunction(lambda: Budget.financial_year_of(timezone.localdate()))
    amount = Decimal("120000.00")
    area = factory.SubFactory(GroupingAreaFactory)
