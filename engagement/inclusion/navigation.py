"""This app's item in the header's navigation (see coproduction.accounts.navigation)."""

from coproduction.accounts.navigation import NavItem
from coproduction.accounts.roles import Role

READERS = frozenset(
    {
        Role.OFFICER,
        Role.ADMINISTRATOR,
        Role.ELECTED_MEMBER,
        Role.BOARD_MEMBER,
        Role.PARTNER_AGENCY,
    }
)

ITEMS: list[NavItem] = [
    NavItem("Who takes part", "inclusion:report_list", READERS, ("inclusion:",)),
]
