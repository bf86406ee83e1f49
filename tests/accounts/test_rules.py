import pytest

ROLES = ["resident", "officer", "elected_member", "board_member", "partner_user", "administrator"]

VIEW_AREA_PEOPLE = {
    "resident": False,
    "officer": True,
    "elected_member": True,
    "board_member": False,
    "partner_user": False,
    "administrator": True,
}

# Whether each role may view an area inside its scope, and one outside it.
VIEW_AREA = {
    "resident": (False, False),
    "officer": (True, False),
    "elected_member": (True, False),
    "board_member": (True, False),
    "partner_user": (True, False),
    "administrator": (True, True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_view_area_people_by_role(role, user_for_role):
    # given
    user = user_for_role(role)
    # then
    assert user.has_perm("accounts.view_area_people") is VIEW_AREA_PEOPLE[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_view_area_by_role_and_scope(role, user_for_role, ward, other_ward):
    # given
    user = user_for_role(role)
    inside, outside = VIEW_AREA[role]
    # then
    assert user.has_perm("communities.view_area", ward) is inside
    assert user.has_perm("communities.view_area", other_ward) is outside


@pytest.mark.django_db
def test_view_area_refused_to_visitor(ward):
    from django.contrib.auth.models import AnonymousUser

    assert AnonymousUser().has_perm("communities.view_area", ward) is False
