"""Who may do what, as django-rules predicates (checked with user.has_perm)."""

import rules

from .roles import Role


def _role_predicate(role: Role) -> rules.Predicate:
    @rules.predicate(name=f"is_{role.value}")
    def holds_role(user) -> bool:
        return bool(user.is_authenticated and user.has_role(role))

    return holds_role


is_administrator = _role_predicate(Role.ADMINISTRATOR)
is_officer = _role_predicate(Role.OFFICER)
is_elected_member = _role_predicate(Role.ELECTED_MEMBER)
is_board_member = _role_predicate(Role.BOARD_MEMBER)
is_partner_agency = _role_predicate(Role.PARTNER_AGENCY)
is_resident = _role_predicate(Role.RESIDENT)

is_council_staff = is_administrator | is_officer
is_area_worker = is_council_staff | is_elected_member | is_board_member | is_partner_agency


@rules.predicate
def area_in_scope(user, area) -> bool:
    from .selectors import area_list_for_user

    if area is None:
        return False
    return area_list_for_user(user=user).filter(pk=area.pk).exists()


# Who works in an area: officers, councillors and administrators, never residents.
rules.add_perm("accounts.view_area_people", is_council_staff | is_elected_member)
rules.add_perm("communities.view_area", is_administrator | (is_area_worker & area_in_scope))
rules.add_perm("admin.view_site", is_administrator)
