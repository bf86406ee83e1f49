import pytest
from django.test.client import ClientMixin

from tests.accounts.factories import (
    AdministratorFactory,
    BoardMemberFactory,
    ElectedMemberFactory,
    OfficerFactory,
    PartnerUserFactory,
    ResidentFactory,
)
from tests.communities.factories import CouncilFactory, GroupingAreaFactory, WardFactory
from tests.services import postgresql_check
from tests.two_factor import force_login_with_second_factor

pytest_plugins = [
    "tests.browser",
    "tests.worker",
    "tests.migrating",
    "tests.module_data",
    "tests.communities.fixtures",
    "tests.projects.fixtures",
    "tests.engagement.fixtures",
    "tests.governance.fixtures",
    "tests.api.fixtures",
    "tests.engagement.inclusion.fixtures",
]


@pytest.fixture(autouse=True)
def second_factor_on_force_login(monkeypatch):
    """People signed in with force_login have entered their second factor (see
    tests/two_factor.py); the enforcement's own tests sign in without it."""
    monkeypatch.setattr(ClientMixin, "force_login", force_login_with_second_factor)


@pytest.fixture
def council(db):
    return CouncilFactory(name="Northfield Borough Council")


@pytest.fixture
def aap(council):
    return GroupingAreaFactory(name="Northfield Central", parent=council)


@pytest.fixture
def ward(aap):
    return WardFactory(name="Town Centre", parent=aap)


@pytest.fixture
def other_ward(council):
    other_area = GroupingAreaFactory(name="Rivermouth and Villages", parent=council)
    return WardFactory(name="Rivermouth", parent=other_area)


@pytest.fixture
def officer(aap):
    return OfficerFactory(full_name="Sam Okafor", areas=[aap])


@pytest.fixture
def elected_member(ward):
    return ElectedMemberFactory(full_name="Cllr Margaret Hughes", areas=[ward])


@pytest.fixture
def board_member(aap):
    return BoardMemberFactory(full_name="David Chen", areas=[aap])


@pytest.fixture
def resident(ward):
    return ResidentFactory(full_name="Aisha Rahman", areas=[ward])


@pytest.fixture
def partner_user(aap):
    return PartnerUserFactory(full_name="Inspector Gareth Lloyd", areas=[aap])


@pytest.fixture
def administrator(db):
    return AdministratorFactory(full_name="Priya Shah")


ROLE_FIXTURES = [
    "resident",
    "officer",
    "elected_member",
    "board_member",
    "partner_user",
    "administrator",
]


@pytest.fixture
def user_for_role(request):
    """The person for a role name from ROLE_FIXTURES, or None for a visitor."""

    def get(role: str | None):
        return None if role is None else request.getfixturevalue(role)

    return get


@pytest.fixture
def officer_job(officer):
    """A finished background job the officer started."""
    from coproduction.jobs.models import Job

    return Job.objects.create(kind="tests.echo", created_by=officer, status=Job.Status.DONE)


def pytest_runtest_setup(item):
    postgresql_check(item)
