"""Who may do what with areas, assets, capacity and spend (django-rules).

Officers manage what lies within their areas (administrators everywhere); elected
members, board members and partner agencies read within their areas; everyone, signed in
or not, sees the public asset map and may suggest an asset. `communities.view_area` is
defined with the roles in coproduction.accounts.rules.
"""

import rules

from coproduction.accounts.rules import (
    area_in_scope,
    is_administrator,
    is_area_worker,
    is_officer,
)

from .models import Area


@rules.predicate
def asset_in_scope(user, asset) -> bool:
    if asset is None:
        return False
    return area_in_scope(user, asset.area)


@rules.predicate
def area_parent_in_scope(user, area) -> bool:
    """An area may be managed by an officer who covers it (or the area above it)."""
    if area is None:
        return False
    return area_in_scope(user, area)


@rules.predicate
def covers_a_council(user) -> bool:
    """An area groups a council's wards, so only someone who covers the council makes one."""
    from coproduction.accounts.selectors import area_list_for_user

    return area_list_for_user(user=user).filter(kind=Area.Kind.COUNCIL).exists()


is_staff_in_scope = is_administrator | (is_officer & area_parent_in_scope)

rules.add_perm("communities.view_area_list", is_area_worker)
rules.add_perm("communities.add_area", is_administrator | (is_officer & covers_a_council))
rules.add_perm("communities.change_area", is_staff_in_scope)
rules.add_perm("communities.view_asset_register", is_area_worker)
rules.add_perm("communities.view_asset", is_administrator | (is_area_worker & asset_in_scope))
rules.add_perm("communities.add_asset", is_administrator | is_officer)
rules.add_perm("communities.change_asset", is_administrator | (is_officer & asset_in_scope))
rules.add_perm("communities.import_data", is_administrator | is_officer)
rules.add_perm("communities.add_capacityassessment", is_staff_in_scope)
rules.add_perm("communities.view_community_list", is_area_worker)
