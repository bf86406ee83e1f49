import pytest

from coproduction.accounts.roles import Role
from coproduction.accounts.selectors import (
    area_list_for_user,
    councillor_list_for_user,
    officer_list_covering,
    role_counts_in_areas,
)
from tests.accounts.factories import ElectedMemberFactory, ResidentFactory


@pytest.mark.django_db
def test_area_list_for_user_includes_areas_beneath(officer, aap, ward, other_ward):
    # when
    areas = set(area_list_for_user(user=officer))
    # then
    assert areas == {aap, ward}


@pytest.mark.django_db
def test_area_list_for_user_administrator_sees_all(administrator, council, ward, other_ward):
    # when
    areas = set(area_list_for_user(user=administrator))
    # then
    assert {council, ward, other_ward} <= areas


@pytest.mark.django_db
def test_area_list_for_user_without_areas_sees_none(ward):
    # given
    user = ResidentFactory(areas=[])
    # then
    assert list(area_list_for_user(user=user)) == []


@pytest.mark.django_db
def test_councillor_list_for_user_names_ward_councillors_only(resident, ward, other_ward):
    # given
    mine = ElectedMemberFactory(areas=[ward])
    ElectedMemberFactory(areas=[other_ward])
    # when
    councillors = list(councillor_list_for_user(user=resident))
    # then
    assert councillors == [mine]


@pytest.mark.django_db
def test_councillor_list_for_a_board_member_names_the_councillors_of_the_boards_wards(
    board_member, ward, other_ward
):
    # given a board member of the area the ward is in
    mine = ElectedMemberFactory(areas=[ward])
    ElectedMemberFactory(areas=[other_ward])
    # when
    councillors = list(councillor_list_for_user(user=board_member))
    # then
    assert councillors == [mine]


@pytest.mark.django_db
def test_role_counts_in_areas_counts_people_once(officer, aap, ward):
    # given
    ResidentFactory.create_batch(3, areas=[ward])
    ResidentFactory(areas=[ward, aap])
    # when
    areas = area_list_for_user(user=officer)
    officers = list(officer_list_covering(areas=areas))
    counts = {row.role: row.count for row in role_counts_in_areas(areas=areas, officers=officers)}
    # then
    assert counts[Role.RESIDENT] == 4
    assert counts[Role.OFFICER] == 1
