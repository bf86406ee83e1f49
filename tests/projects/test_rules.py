"""Who may see and change a project: a role x project-place matrix."""

import pytest

from projects.selectors import project_list_for_user
from tests.accounts.factories import ElectedMemberFactory, OfficerFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

# (role, may see the project in the ward, may change it, may see residents' names)
MATRIX = [
    ("officer", True, True, True),
    ("elected_member", True, False, True),
    ("board_member", True, False, False),
    ("partner_user", True, False, False),
    ("resident", False, False, False),
    ("administrator", True, True, True),
]


@pytest.mark.parametrize(("role", "sees", "changes", "names"), MATRIX)
def test_role_on_a_project_in_their_area(user_for_role, project, role, sees, changes, names):
    user = user_for_role(role)
    assert user.has_perm("projects.view_project", project) is sees
    assert user.has_perm("projects.change_project", project) is changes
    assert user.has_perm("projects.view_project_people", project) is names


@pytest.mark.parametrize(("role", "sees", "changes", "names"), MATRIX)
def test_role_on_a_project_elsewhere(user_for_role, other_project, role, sees, changes, names):
    """Outside everyone's areas only administrators see or change it."""
    user = user_for_role(role)
    is_admin = role == "administrator"
    assert user.has_perm("projects.view_project", other_project) is is_admin
    assert user.has_perm("projects.change_project", other_project) is is_admin
    assert user.has_perm("projects.view_project_people", other_project) is is_admin


def test_ward_councillor_follows_projects_of_the_area_their_ward_is_in(aap, ward):
    # given
    area_wide = ProjectFactory(areas=[aap])
    member = ElectedMemberFactory(areas=[ward])
    # then
    assert member.has_perm("projects.view_project", area_wide)
    assert list(project_list_for_user(user=member)) == [area_wide]


def test_ward_officer_reads_but_cannot_change_an_area_wide_project(aap, ward):
    # given
    area_wide = ProjectFactory(areas=[aap])
    ward_officer = OfficerFactory(areas=[ward])
    # then
    assert ward_officer.has_perm("projects.view_project", area_wide)
    assert not ward_officer.has_perm("projects.change_project", area_wide)


def test_a_project_across_two_areas_is_changed_by_officers_of_either(ward, other_ward):
    shared = ProjectFactory(areas=[ward, other_ward])
    assert OfficerFactory(areas=[other_ward.parent]).has_perm("projects.change_project", shared)
    assert OfficerFactory(areas=[ward.parent]).has_perm("projects.change_project", shared)


def test_partner_sees_only_projects_its_agency_is_on(partner_user, project, ward):
    # given
    ProjectFactory(areas=[ward], title="Without the police")
    # then
    assert list(project_list_for_user(user=partner_user)) == [project]


def test_inactive_people_see_nothing(officer, project):
    officer.is_active = False
    officer.save()
    assert not officer.has_perm("projects.view_project", project)
    assert list(project_list_for_user(user=officer)) == []
