"""This app's items in the header's navigation (see coproduction.accounts.navigation)."""

from coproduction.accounts.navigation import EVERYONE, NavItem
from coproduction.accounts.roles import Role

AREA_WORKERS = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.OFFICER,
        Role.ELECTED_MEMBER,
        Role.BOARD_MEMBER,
        Role.PARTNER_AGENCY,
    }
)

ITEMS: list[NavItem] = [
    NavItem(
        "Areas",
        "communities:area_list",
        AREA_WORKERS,
        (
            "communities:area_list",
            "communities:area_create",
            "communities:area_detail",
            "communities:area_edit",
            "communities:area_capacity_create",
            "communities:community_list",
            "communities:community_detail",
            "communities:community_capacity_create",
            "communities:import",
        ),
    ),
    NavItem(
        "Assets",
        "communities:asset_list",
        AREA_WORKERS,
        (
            "communities:asset_list",
            "communities:asset_create",
            "communities:asset_detail",
            "communities:asset_edit",
        ),
    ),
    NavItem(
        "Community map",
        "communities:asset_map",
        EVERYONE,
        ("communities:asset_map", "communities:asset_suggest", "communities:asset_suggest_done"),
    ),
]
