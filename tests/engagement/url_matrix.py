"""This app's rows of the role x page matrix (see tests/permissions.py)."""

from tests.permissions import NOT_ALLOWED, NOT_FOUND, OK, everyone, only, signed_in

REDIRECT = 302
STAFF = ("officer", "administrator")
FIGURES = ("officer", "administrator", "elected_member", "board_member")


def report(fixture) -> dict:
    return {"pk": fixture("ward_report").pk}


def event(fixture) -> dict:
    return {"pk": fixture("ward_event").pk}


def champion(fixture) -> dict:
    return {"pk": fixture("ward_champion").pk}


def participant(fixture) -> dict:
    return {"pk": fixture("ward_participant").pk}


def participant_json(fixture) -> dict:
    return {"pk": fixture("ward_participant").pk, "fmt": "json"}


def own_profile(fixture) -> dict:
    fixture("resident_participant")
    return {}


def photo(fixture) -> dict:
    return {"pk": fixture("ward_report").pk, "photo_pk": 999999}


# Pages only a person with a participant profile has: the resident fixture has one.
OWN_PROFILE = {**signed_in(NOT_FOUND), "resident": OK}

PAGES = {
    # Public: street champion sign-up (a page further on sends back to the first)
    "engagement:champion_start": ({}, everyone(OK)),
    "engagement:champion_step": ({"step": "contact"}, everyone(OK)),
    "engagement:champion_check": ({}, everyone(REDIRECT)),
    "engagement:champion_done": ({}, everyone(REDIRECT)),
    "engagement:champion_confirm": ({"token": "not-a-token"}, everyone(OK)),
    # Public: reports
    "engagement:report_start": ({}, everyone(OK)),
    "engagement:report_details": ({}, everyone(REDIRECT)),
    "engagement:report_detail": (report, everyone(OK)),
    "engagement:report_photo": (photo, everyone(NOT_FOUND)),
    # Public: events
    "engagement:event_list_public": ({}, everyone(OK)),
    "engagement:event_detail_public": (event, everyone(OK)),
    "engagement:event_register": (event, everyone(OK)),
    "engagement:event_registered": (event, everyone(OK)),
    "engagement:event_check_in": (event, signed_in(OK)),
    "engagement:event_feedback": (event, everyone(OK)),
    # Residents' own pages
    "engagement:my_page": ({}, signed_in(OK)),
    "engagement:my_details_edit": (own_profile, OWN_PROFILE),
    "engagement:my_equality": (own_profile, OWN_PROFILE),
    "engagement:my_equality_withdraw": (own_profile, OWN_PROFILE),
    "engagement:my_data_download": ({"fmt": "json"}, signed_in(OK)),
    "engagement:my_delete": ({}, only("resident")),
    # Officers (and administrators) in their areas
    "engagement:champion_list": ({}, only(*STAFF)),
    "engagement:champion_newsletter_csv": ({}, only(*STAFF)),
    "engagement:champion_detail": (champion, only(*STAFF)),
    "engagement:report_queue": ({}, only(*STAFF)),
    "engagement:report_queue_csv": ({}, only(*STAFF)),
    "engagement:report_bulk": ({}, only(*STAFF, status=NOT_ALLOWED)),
    "engagement:report_manage": (report, only(*STAFF)),
    "engagement:event_list": ({}, only(*STAFF)),
    "engagement:event_create": ({}, only(*STAFF)),
    "engagement:event_attendance": (event, only(*STAFF)),
    "engagement:event_edit": (event, only(*STAFF)),
    "engagement:participation_import": ({}, only(*STAFF)),
    "engagement:participant_list": ({}, only(*STAFF)),
    "engagement:participant_detail": (participant, only(*STAFF)),
    "engagement:participant_edit": (participant, only(*STAFF)),
    "engagement:participant_download": (participant_json, only(*STAFF)),
    "engagement:participant_erase": (participant, only(*STAFF)),
    # Aggregates: officers, councillors and board members for their areas
    "engagement:report_stats": ({}, only(*FIGURES)),
    "engagement:report_ward_csv": ({}, only(*FIGURES)),
    "engagement:area_summary": ({}, only(*FIGURES)),
}
