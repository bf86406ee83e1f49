"""The ownership dimension of the role x route matrix: every object route a role may open
(OK in a url_matrix.py row, for an object in the role fixtures' areas) is refused, with
404 or 403, to a person of the same role whose areas lie elsewhere (`other_ward`).

Rows are found in the same url_matrix.py files as test_permissions.py, so new object
routes are covered as soon as their row is written. An object route that is the same for
everyone of a role wherever they are (a public page, the person's own record) is listed,
with the reason, in its module's UNSCOPED = {"<name>": "<why>"}.
"""

from importlib import import_module

import pytest
from django.urls import reverse

from tests.accounts.factories import (
    BoardMemberFactory,
    ElectedMemberFactory,
    OfficerFactory,
    PartnerUserFactory,
    ResidentFactory,
)
from tests.coproduction.test_permissions import MATRIX_MODULES, PAGES
from tests.permissions import OK

# Administrators see every area: there is no "elsewhere" for them.
AREA_ROLES = {
    "resident": ResidentFactory,
    "officer": OfficerFactory,
    "elected_member": ElectedMemberFactory,
    "board_member": BoardMemberFactory,
    "partner_user": PartnerUserFactory,
}


PUBLIC = "a public page: the same for everyone, wherever they live"
# The object routes of the apps that landed before this test, reviewed one by one.
REVIEWED_UNSCOPED = {
    "communities:community_detail": "communities of interest are council-wide, not areas",
    "communities:community_capacity_create": "communities of interest are council-wide",
    "projects:public_detail": PUBLIC,
    "engagement:report_detail": PUBLIC + " (a report's public page, without the reporter)",
    "engagement:event_detail_public": PUBLIC,
    "engagement:event_register": PUBLIC,
    "engagement:event_registered": PUBLIC,
    "engagement:event_feedback": PUBLIC,
    "engagement:event_check_in": "anyone at the event checks in with its code",
    "engagement:event_give_up_place": "a person gives up only their own place at the event",
    "engagement:task_edit": "the volunteer task catalogue is the council's, for every area",
    "governance:minutes_public": PUBLIC,
    "inclusion:target_edit": "the fixture's target is programme-wide (no area); area "
    "targets are scoped by target_get_for_user",
    "inclusion:target_delete": "as target_edit",
    "inclusion:public_detail": PUBLIC + " (a published report)",
    "inclusion:public_csv": PUBLIC + " (a published report)",
}


def unscoped() -> dict[str, str]:
    merged: dict[str, str] = dict(REVIEWED_UNSCOPED)
    for module in MATRIX_MODULES:
        merged.update(getattr(import_module(module), "UNSCOPED", {}))
    return merged


UNSCOPED = unscoped()

CASES = [
    (name, role)
    for name, (kwargs, outcomes) in PAGES.items()
    if callable(kwargs) and name not in UNSCOPED
    for role in AREA_ROLES
    if outcomes.get(role) == OK
]


def test_exemptions_name_object_routes_that_exist():
    assert set(UNSCOPED) - PAGES.keys() == set()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_same_role_in_another_area_is_refused(client, request, other_ward, name, role):
    # given: the object, in the role fixtures' areas, and someone of the role elsewhere
    kwargs, _outcomes = PAGES[name]
    url = reverse(name, kwargs=kwargs(request.getfixturevalue))
    outsider = AREA_ROLES[role](areas=[other_ward])
    client.force_login(outsider)
    # when
    response = client.get(url)
    # then
    assert response.status_code in (403, 404), response.status_code
