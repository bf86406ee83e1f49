import pytest
from django.db import IntegrityError

from coproduction.accounts.models import User
from coproduction.accounts.roles import Role
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_user_email_is_stored_lower_case():
    """Emails are normalised so that one person cannot hold two accounts by case."""
    # when
    user = UserFactory(email="  Aisha.Rahman@Example.ORG ")
    # then
    assert user.email == "aisha.rahman@example.org"


@pytest.mark.django_db
def test_user_email_unique_regardless_of_case():
    # given
    UserFactory(email="sam@example.org")
    # when / then
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="SAM@example.org", full_name="Sam")])


@pytest.mark.django_db
def test_user_found_by_email_in_any_case():
    # given
    user = UserFactory(email="sam@example.org")
    # when
    found = User.objects.get_by_natural_key("SAM@Example.org")
    # then
    assert found == user


@pytest.mark.django_db
def test_user_roles_listed_most_senior_first():
    # given
    user = UserFactory(roles=[Role.RESIDENT, Role.ELECTED_MEMBER, Role.BOARD_MEMBER])
    # when
    roles = User.objects.get(pk=user.pk).roles
    # then
    assert roles == [Role.ELECTED_MEMBER, Role.BOARD_MEMBER, Role.RESIDENT]


@pytest.mark.django_db
def test_user_inactive_holds_no_roles():
    # given
    user = UserFactory(roles=[Role.OFFICER])
    user.is_active = False
    user.save()
    # when
    roles = User.objects.get(pk=user.pk).roles
    # then
    assert roles == []


@pytest.mark.django_db
def test_user_superuser_is_administrator():
    # given
    user = User.objects.create_superuser(
        email="root@example.org", full_name="Root", password="x" * 12
    )
    # then
    assert user.has_role(Role.ADMINISTRATOR)


@pytest.mark.parametrize(
    ("full_name", "short_name"),
    [
        ("Cllr Margaret Hughes", "Margaret"),
        ("Inspector Gareth Lloyd", "Gareth"),
        ("Dr. Priya Shah", "Priya"),
        ("Sam Okafor", "Sam"),
        ("Cllr", "Cllr"),
    ],
)
def test_short_name_is_the_first_name_past_a_title(full_name, short_name):
    assert User(full_name=full_name, email="x@example.org").get_short_name() == short_name
