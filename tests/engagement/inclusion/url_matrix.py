"""This app's rows of the role x page matrix (see tests/permissions.py)."""

from tests.permissions import NOT_ALLOWED, NOT_FOUND, OK, everyone, only

READERS = ("officer", "administrator", "board_member", "partner_user")
STAFF = ("officer", "administrator")


def report(fixture) -> dict:
    return {"pk": fixture("aap_report").pk}


def public(fixture) -> dict:
    return {"pk": fixture("public_report").pk}


def target(fixture) -> dict:
    return {"pk": fixture("programme_target").pk}


# The aap report: the elected member's ward lies inside the area, but the area is not
# theirs to read (404); partners read its published figures.
REPORT = {**only(*READERS), "elected_member": NOT_FOUND}
# The API with a browser session: 401 without one, 403 for residents; the same scoping.
UNAUTHORISED = 401
API_READERS = ("officer", "elected_member", "board_member", "partner_user", "administrator")

PAGES = {
    "inclusion:report_list": ({}, only(*READERS, "elected_member")),
    "inclusion:report_request": ({}, only(*STAFF)),
    "inclusion:report_schema": ({}, everyone(OK)),
    "inclusion:report_detail": (report, REPORT),
    "inclusion:report_status": (report, REPORT),
    "inclusion:report_csv": (report, REPORT),
    "inclusion:report_json": (report, REPORT),
    "inclusion:report_publish": (report, only(*STAFF, status=NOT_ALLOWED)),
    "inclusion:report_retry": (report, only(*STAFF, status=NOT_ALLOWED)),
    "inclusion:target_list": ({}, only(*STAFF)),
    "inclusion:target_create": ({}, only(*STAFF)),
    # A programme-wide target: the officer covers one area, not the council.
    "inclusion:target_edit": (target, only("administrator")),
    "inclusion:target_delete": (target, only("administrator")),
    "inclusion:public_list": ({}, everyone(OK)),
    "api:inclusion-report-list": ({}, only(*API_READERS, visitor=UNAUTHORISED)),
    "api:inclusion-report-detail": (
        report,
        {**only(*READERS, visitor=UNAUTHORISED), "elected_member": NOT_FOUND},
    ),
    "inclusion:public_detail": (public, everyone(OK)),
    "inclusion:public_csv": (public, everyone(OK)),
}
