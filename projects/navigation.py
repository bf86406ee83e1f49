"""This app's items in the header's navigation (see coproduction.accounts.navigation)."""

from coproduction.accounts.navigation import NavItem
from coproduction.accounts.roles import Role

ITEMS: list[NavItem] = [
    NavItem(
        "Projects",
        "projects:list",
        frozenset(
            {
                Role.ADMINISTRATOR,
                Role.OFFICER,
                Role.ELECTED_MEMBER,
                Role.BOARD_MEMBER,
                Role.PARTNER_AGENCY,
            }
        ),
        ("projects:",),
    ),
    NavItem(
        "Local projects",
        "projects:public_list",
        frozenset({Role.RESIDENT}),
        ("projects:public_list", "projects:public_detail"),
    ),
]
