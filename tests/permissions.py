"""The role x page matrix: what each role gets from a GET of every named URL.

Each app lists its own URLs in `tests/<app>/url_matrix.py` as

    PAGES = {"<namespace>:<name>": (kwargs, {role: outcome, ...}), ...}

where kwargs is a dict for `reverse`, or a function that takes `fixture` (a fixture by
name, e.g. `fixture("project")`) and returns that dict, so rows can name objects. The
objects a row needs come from fixtures in `tests/conftest.py` or `tests/<app>/fixtures.py`
(registered suite-wide; an app's conftest.py would not reach this test),
scoped to the areas of the role fixtures (officer and board member: the "aap" area;
councillor and resident: its "ward"; `other_ward` lies outside them all).
`tests/coproduction/test_permissions.py` fails while any URL lacks a row.

Ownership: `tests/coproduction/test_ownership.py` requests every object route (callable
kwargs) that a role may open as a person of the same role whose areas are `other_ward`,
and expects 403 or 404. A route that is rightly the same wherever the person is (a public
page) is listed with the reason in the module's `UNSCOPED = {"<name>": "<why>"}`.
"""

from collections.abc import Callable

ROLES = [
    None,
    "resident",
    "officer",
    "elected_member",
    "board_member",
    "partner_user",
    "administrator",
]

OK = 200
LOGIN = "login"  # redirected to the sign-in page
HOME = "home"  # signed-in people are sent on to their home page
ADMIN_LOGIN = "admin-login"
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405


def everyone(status) -> dict:
    return dict.fromkeys(ROLES, status)


def signed_in(status, *, visitor=LOGIN) -> dict:
    return {**dict.fromkeys(ROLES, status), None: visitor}


def only(*roles: str, status=OK, others=FORBIDDEN, visitor=LOGIN) -> dict:
    """`status` for the named roles, `others` for the rest, `visitor` when signed out."""
    outcome = {role: (status if role in roles else others) for role in ROLES}
    outcome[None] = visitor
    return outcome


Row = tuple[dict | Callable[[Callable[[str], object]], dict], dict]
