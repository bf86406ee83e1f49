"""Factories for the engagement app: built through the services wherever one exists."""

import uuid
from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from communities.models import Postcode
from engagement import services
from engagement.models import (
    AreaTeam,
    Attendance,
    Event,
    IssueCategory,
    IssueReport,
    Participant,
    ReportState,
    StreetChampion,
)
from engagement.reference_data import report_reference_data_ensure
from tests.communities.factories import WardFactory


class PostcodeFactory(factory.django.DjangoModelFactory):
    """A row of the ONS postcode directory (the communities importer makes real ones)."""

    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)

    postcode = factory.Sequence(lambda n: f"NF{n % 90 + 1} {n % 9 + 1}AB")
    ward = factory.SubFactory(WardFactory)
    latitude = Decimal("54.523600")
    longitude = Decimal("-1.559500")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    full_name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    postcode = ""
    home_ward = factory.SubFactory(WardFactory)
    preferred_channels = factory.LazyFunction(lambda: ["email"])


class StreetChampionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StreetChampion

    participant = factory.SubFactory(ParticipantFactory)
    ward = factory.LazyAttribute(lambda o: o.participant.home_ward)
    patch = "Elm Road and Ash Grove"
    activities = factory.LazyFunction(lambda: ["report_problems"])
    status = StreetChampion.Status.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)


def category(slug: str = "fly-tipping") -> IssueCategory:
    report_reference_data_ensure()
    return IssueCategory.objects.get(slug=slug)


def state(code: str) -> ReportState:
    report_reference_data_ensure()
    return ReportState.objects.get(code=code)


class AreaTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaTeam
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Street scene team {n}")

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class IssueReportFactory(factory.django.DjangoModelFactory):
    """A report, made through issue_report_create (routing, ledger, notification)."""

    class Meta:
        model = IssueReport

    category_slug = "fly-tipping"
    description = "Six black bags and a mattress dumped by the bins"
    reporter = factory.SubFactory(ParticipantFactory)
    ward = factory.LazyAttribute(lambda o: o.reporter.home_ward)
    latitude = None
    longitude = None
    location_description = "Behind 12 Elm Road"
    postcode = ""
    anonymous = False

    @classmethod
    def _create(cls, model_class, *args, category_slug, **kwargs) -> IssueReport:
        reporter = kwargs.pop("reporter")
        return services.issue_report_create(
            draft=services.ReportDraft(category=category(category_slug), **kwargs),
            reporter=reporter,
            submission_key=uuid.uuid4(),
        )


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Litter pick {n}")
    kind = Event.Kind.LITTER_PICK
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "Abbey Fields park gates"
    area = factory.SubFactory(WardFactory)
    capacity = None
    check_in_code = "PARK26"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(EventFactory)
    participant = factory.SubFactory(ParticipantFactory)
