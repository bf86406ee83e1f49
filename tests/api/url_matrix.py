"""The partner API's rows of the role x page matrix (see tests/permissions.py), joined
to tests/coproduction/url_matrix.py: the API lives in the coproduction package.

API routes are called with the role's browser session: people whose role uses the API
get what their areas hold (401 without a session, 403 for residents); the token and
revocation endpoints take POST only. The administrators' pages are theirs alone.
"""

from tests.permissions import NOT_ALLOWED, NOT_FOUND, OK, everyone, only

UNAUTHORISED = 401
API_ROLES = ("officer", "elected_member", "board_member", "partner_user", "administrator")
# The aap area's records: not within the councillor's ward.
AAP_ROLES = ("officer", "board_member", "partner_user", "administrator")


def api_list() -> dict:
    return only(*API_ROLES, visitor=UNAUTHORISED)


def api_aap_detail() -> dict:
    outcome = only(*AAP_ROLES, visitor=UNAUTHORISED)
    outcome["elected_member"] = NOT_FOUND
    return outcome


def admin_page() -> dict:
    return only("administrator")


def client_pk(fixture) -> dict:
    return {"pk": fixture("police_client").pk}


PAGES = {
    "api:token": ({}, everyone(NOT_ALLOWED)),
    "api:revoke_token": ({}, everyone(NOT_ALLOWED)),
    "api:schema": ({}, everyone(OK)),
    "api:docs": ({}, everyone(OK)),
    "api:me": ({}, api_list()),
    "api:area-list": ({}, api_list()),
    "api:area-detail": (lambda fixture: {"pk": fixture("aap").pk}, api_aap_detail()),
    "api:baseline-list": ({}, api_list()),
    "api:baseline-detail": (lambda fixture: {"pk": fixture("baseline").pk}, api_aap_detail()),
    "api:partnership-list": ({}, api_list()),
    "api:partnership-detail": (
        lambda fixture: {"pk": fixture("partnership").pk},
        api_aap_detail(),
    ),
    "api:partner-agency-list": ({}, api_list()),
    "api:partner-agency-detail": (
        lambda fixture: {"pk": fixture("partnership").agencies.get(name__contains="Policing").pk},
        api_aap_detail(),
    ),
    "api:project-list": ({}, api_list()),
    "api:project-detail": (lambda fixture: {"pk": fixture("project").pk}, api_list()),
    "api:indicator-list": ({}, api_list()),
    "api:indicator-detail": (lambda fixture: {"pk": fixture("indicator").pk}, api_list()),
    "api:measurement-list": (
        lambda fixture: {"indicator_pk": fixture("indicator").pk},
        api_list(),
    ),
    "api:event-list": ({}, api_list()),
    "api:event-detail": (lambda fixture: {"pk": fixture("ward_event").pk}, api_list()),
    "api:event-headcount": (
        lambda fixture: {"pk": fixture("ward_event").pk},
        # POST only: GET is 405 for everyone, before any check of the caller.
        everyone(NOT_ALLOWED),
    ),
    "api:volunteer-activity-list": ({}, api_list()),
    "api:volunteer-activity-roster": (
        {"pk": 1},
        # POST only: GET is 405 for everyone, before any check of the caller.
        everyone(NOT_ALLOWED),
    ),
    "api:priority-cycle-list": ({}, api_list()),
    "api:priority-cycle-detail": (
        lambda fixture: {"pk": fixture("adopted_priority").cycle_id},
        api_aap_detail(),
    ),
    "api:priority-list": ({}, api_list()),
    "api:priority-detail": (
        lambda fixture: {"pk": fixture("adopted_priority").pk},
        api_aap_detail(),
    ),
    "api:decision-list": ({}, api_list()),
    # No decision is published in the matrix's fixtures: every caller gets a 404.
    "api:decision-detail": ({"pk": 1}, {**only(*API_ROLES, status=NOT_FOUND), None: UNAUTHORISED}),
    "api:issue-report-list": ({}, api_list()),
    "api:issue-report-detail": (
        lambda fixture: {"pk": fixture("ward_report").pk},
        {**api_list(), "elected_member": OK},
    ),
    "api:issue-report-transition": (
        lambda fixture: {"pk": fixture("ward_report").pk},
        everyone(NOT_ALLOWED),
    ),
    "api:asset-list": ({}, api_list()),
    "api:asset-detail": (lambda fixture: {"pk": fixture("asset").pk}, api_list()),
    "api_clients:list": ({}, admin_page()),
    "api_clients:create": ({}, admin_page()),
    "api_clients:detail": (client_pk, admin_page()),
    "api_clients:scopes": (client_pk, admin_page()),
    "api_clients:secret_reset": (client_pk, admin_page()),
    "api_clients:tokens_revoke": (client_pk, admin_page()),
    "api_clients:revoke": (client_pk, admin_page()),
}
