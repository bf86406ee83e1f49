import factory

from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from coproduction.accounts.services import user_create
from tests.governance.factories import PartnerAgencyFactory

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A person, created through the same service the product uses."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = DEFAULT_PASSWORD
    roles: tuple[Role, ...] = ()
    areas: tuple = ()
    partner_agency = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> User:
        return user_create(**kwargs)


class OfficerFactory(UserFactory):
    roles = (Role.OFFICER,)


class ElectedMemberFactory(UserFactory):
    roles = (Role.ELECTED_MEMBER,)


class BoardMemberFactory(UserFactory):
    roles = (Role.BOARD_MEMBER,)


class ResidentFactory(UserFactory):
    roles = (Role.RESIDENT,)


class PartnerUserFactory(UserFactory):
    roles = (Role.PARTNER_AGENCY,)
    partner_agency = factory.SubFactory(PartnerAgencyFactory)


class AdministratorFactory(UserFactory):
    roles = (Role.ADMINISTRATOR,)
