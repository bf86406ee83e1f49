import factory

from communities.models import Area


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
