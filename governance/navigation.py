"""This app's items in the header's navigation (see coproduction.accounts.navigation)."""

from coproduction.accounts.navigation import NavItem
from coproduction.accounts.roles import Role

PARTNERSHIP_ACTIVE = (
    "governance:partnership_list",
    "governance:partnership_detail",
    "governance:cycle_detail",
    "governance:meeting_detail",
    "governance:priority_detail",
    "governance:call_detail",
    "governance:draw_detail",
    "governance:cabinet_update",
)

ITEMS: list[NavItem] = [
    NavItem(
        "Partnerships",
        "governance:partnership_list",
        frozenset(
            {
                Role.ADMINISTRATOR,
                Role.OFFICER,
                Role.ELECTED_MEMBER,
                Role.PARTNER_AGENCY,
            }
        ),
        PARTNERSHIP_ACTIVE,
    ),
    NavItem(
        "Sign-offs",
        "governance:councillor",
        frozenset({Role.ELECTED_MEMBER}),
        ("governance:councillor", "governance:signoff_decide"),
    ),
    NavItem(
        "Your board",
        "governance:board_member",
        frozenset({Role.BOARD_MEMBER}),
        ("governance:board_member", "governance:cycle_review"),
    ),
    NavItem(
        "Have your say",
        "governance:cycle_open_list",
        frozenset({Role.RESIDENT}),
        ("governance:cycle_open_list", "governance:cycle_vote", "governance:priority_propose"),
    ),
    NavItem(
        "Audit trail",
        "governance:audit_list",
        frozenset({Role.ADMINISTRATOR}),
        ("governance:audit_list",),
    ),
]
