"""Factories for the partner API's tests and demo: clients made through the service the
administrators' page uses, and the census and partnership records the API serves."""

import factory

from communities.models import CensusTable, PopulationBaseline
from coproduction.api.scopes import scopes
from coproduction.api.services import api_client_create
from governance.models import Partnership
from tests.accounts.factories import AdministratorFactory
from tests.communities.factories import GroupingAreaFactory
from tests.governance.factories import PartnerAgencyFactory


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnership {n}")
    kind = Partnership.Kind.AREA_ACTION_PARTNERSHIP
    area = factory.SubFactory(GroupingAreaFactory)

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs) -> None:
        if create and extracted:
            self.agencies.add(*extracted)


class CensusTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CensusTable
        django_get_or_create = ("area", "table", "census_year")

    area = factory.SubFactory(GroupingAreaFactory)
    table = "TS021"
    dimension = "ethnic_group"
    census_year = 2021
    total = 10_000
    source = "TS021-2021-1.csv"


class PopulationBaselineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationBaseline
        django_get_or_create = ("table", "category")

    table = factory.SubFactory(CensusTableFactory)
    area = factory.SelfAttribute("table.area")
    dimension = factory.SelfAttribute("table.dimension")
    category = factory.Sequence(lambda n: f"category_{n}")
    count = 120


class ApiClientFactory(factory.Factory):
    """An agency's API client, through `api_client_create`. The clear secret is on
    `client.secret` for tests to get tokens with."""

    class Meta:
        model = dict

    agency = factory.SubFactory(PartnerAgencyFactory)
    scopes = factory.LazyFunction(scopes.names)
    created_by = factory.SubFactory(AdministratorFactory)
    contact_note = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        client, secret = api_client_create(**kwargs)
        client.secret = secret
        return client

    _build = _create
