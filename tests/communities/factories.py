from datetime import date, timedelta
from decimal import Decimal

import factory

from communities.models import (
    Area,
    AreaBoundary,
    Asset,
    CapacityAssessment,
    CommunityOfInterest,
    DeprivationScore,
    Postcode,
    SpendRecord,
)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("gss_code",)

    name = factory.Sequence(lambda n: f"Area {n}")
    kind = Area.Kind.WARD
    gss_code = factory.Sequence(lambda n: f"E05{n:06d}")


class CouncilFactory(AreaFactory):
    kind = Area.Kind.COUNCIL
    name = factory.Sequence(lambda n: f"Council {n}")
    gss_code = factory.Sequence(lambda n: f"E06{n:06d}")
    parent = None


class GroupingAreaFactory(AreaFactory):
    kind = Area.Kind.AREA
    type_label = "Area Action Partnership"
    gss_code = ""
    parent = factory.SubFactory(CouncilFactory)

    class Meta:
        django_get_or_create = ("name", "kind")


class WardFactory(AreaFactory):
    kind = Area.Kind.WARD
    parent = factory.SubFactory(GroupingAreaFactory)


class AreaBoundaryFactory(factory.django.DjangoModelFactory):
    area = factory.SubFactory(WardFactory)
    geometry = factory.LazyFunction(
        lambda: {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}
    )

    class Meta:
        model = AreaBoundary


class LsoaFactory(AreaFactory):
    kind = Area.Kind.LSOA
    name = factory.Sequence(lambda n: f"Northfield {n:03d}A")
    gss_code = factory.Sequence(lambda n: f"E01{n:06d}")
    parent = factory.SubFactory(WardFactory)


class CommunityOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityOfInterest
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Community {n}")
    description = "People who share an experience or identity."


class AssetFactory(factory.django.DjangoModelFactory):
    """A published place with a location, added through the service officers use."""

    class Meta:
        model = Asset
        skip_postgeneration_save = True

    actor = None
    kind = Asset.Kind.PLACE
    category = Asset.Category.COMMUNITY_CENTRE
    name = factory.Sequence(lambda n: f"Community centre {n}")
    area = factory.SubFactory(WardFactory)
    latitude = Decimal("54.523600")
    longitude = Decimal("-1.559500")
    communities: tuple = ()

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Asset:
        from communities.services import asset_create

        return asset_create(**kwargs)


class OrganisationAssetFactory(AssetFactory):
    kind = Asset.Kind.ORGANISATION
    category = Asset.Category.RESIDENTS_ASSOCIATION
    name = factory.Sequence(lambda n: f"Residents' association {n}")
    charity_number = "1234567"


class SuggestedAssetFactory(factory.django.DjangoModelFactory):
    """A suggestion from the public form, awaiting review."""

    class Meta:
        model = Asset

    kind = Asset.Kind.PLACE
    category = Asset.Category.PARK
    name = factory.Sequence(lambda n: f"Suggested park {n}")
    area = factory.SubFactory(WardFactory)
    suggested_by_name = "Jo Bloggs"
    suggested_by_email = "jo@example.org"

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Asset:
        from communities.services import asset_suggest

        return asset_suggest(**kwargs)


class CapacityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapacityAssessment

    actor = None
    area = factory.SubFactory(WardFactory)
    community = None
    assessed_on = factory.Sequence(lambda n: date(2024, 1, 1) + timedelta(days=90 * n))
    volunteers = 25
    digital_skills = 3
    confidence = 3

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> CapacityAssessment:
        from communities.services import capacity_assessment_record

        return capacity_assessment_record(**kwargs)


class SpendRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpendRecord

    area = factory.SubFactory(WardFactory)
    service = "Street cleansing"
    agency = "Northfield Borough Council"
    financial_year = 2024
    amount = Decimal("125000.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> SpendRecord:
        from communities.services import spend_record_set

        return spend_record_set(**kwargs)


class DeprivationScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeprivationScore
        django_get_or_create = ("lsoa", "edition")

    lsoa = factory.SubFactory(LsoaFactory)
    edition = DeprivationScore.Edition.IOD_2025
    rank = 1500
    decile = 1


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ("postcode",)

    postcode = factory.Sequence(
        lambda n: f"NF{1 + n // 400} {n % 10}{'ABDEFGHJLN'[n // 10 % 10]}{'PQRSTUWXYZ'[n % 10]}"
    )
    lsoa = factory.SubFactory(LsoaFactory)
    ward = factory.LazyAttribute(lambda o: o.lsoa.parent)
    latitude = Decimal("54.523600")
    longitude = Decimal("-1.559500")
