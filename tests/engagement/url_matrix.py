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
# Found only for staff for the area (officer, administrator); no one else sees it exists.
STAFF_ONLY_FOUND = {**signed_in(NOT_FOUND), "officer": OK, "administrator": OK}


def fixture_pk(name: str):
    def kwargs(fixture) -> dict:
        return {"pk": fixture(name).pk}

    return kwargs


def activity_report_photo(fixture) -> dict:
    return {"pk": fixture("ward_activity_report").pk, "photo_pk": 999999}


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
    # Public: Open311 GeoReport v2 reads (public fields only; posting needs a client)
    "open311:services": ({"format": "json"}, everyone(OK)),
    "open311:requests": ({"format": "xml"}, everyone(OK)),
    "open311:request": (
        lambda fixture: {"pk": fixture("ward_report").pk, "format": "json"},
        everyone(OK),
    ),
    "engagement:report_photo": (photo, everyone(NOT_FOUND)),
    # Public: events
    "engagement:event_list_public": ({}, everyone(OK)),
    "engagement:event_detail_public": (event, everyone(OK)),
    "engagement:event_register": (event, everyone(OK)),
    "engagement:event_registered": (event, everyone(OK)),
    "engagement:event_check_in": (event, signed_in(OK)),
    "engagement:event_give_up_place": (event, signed_in(OK)),
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
    # Volunteering: public
    "engagement:volunteer_jobs": ({}, everyone(OK)),
    # Volunteering: a volunteer's own pages; only group leads file activity reports (the
    # resident fixture holds no kit and leads nothing)
    "engagement:my_volunteering": (own_profile, OWN_PROFILE),
    "engagement:my_disclaimer": (own_profile, OWN_PROFILE),
    "engagement:activity_report_create": (
        own_profile,
        {**only(), "administrator": NOT_FOUND},
    ),
    "engagement:activity_report_photo": (activity_report_photo, signed_in(NOT_FOUND)),
    # Incidents: people rostered on the activity and staff for its area
    "engagement:incident_report": (fixture_pk("ward_activity"), STAFF_ONLY_FOUND),
    # Risk assessments: staff (and group leads, for their own)
    "engagement:assessment_list": ({}, only(*STAFF)),
    "engagement:assessment_create": ({}, only(*STAFF)),
    "engagement:assessment_detail": (fixture_pk("ward_assessment"), STAFF_ONLY_FOUND),
    "engagement:assessment_edit": (fixture_pk("ward_draft_assessment"), STAFF_ONLY_FOUND),
    # Volunteering: officers
    "engagement:volunteering_dashboard": ({}, only(*STAFF)),
    "engagement:task_list": ({}, only(*STAFF)),
    "engagement:task_create": ({}, only(*STAFF)),
    "engagement:task_edit": (fixture_pk("ward_task"), only(*STAFF)),
    "engagement:volunteer_list": ({}, only(*STAFF)),
    "engagement:volunteer_detail": (participant, only(*STAFF)),
    "engagement:activity_list": ({}, only(*STAFF)),
    "engagement:activity_create": ({}, only(*STAFF)),
    "engagement:activity_detail": (fixture_pk("ward_activity"), only(*STAFF)),
    "engagement:activity_edit": (fixture_pk("ward_activity"), only(*STAFF)),
    "engagement:toolkit_list": ({}, only(*STAFF)),
    "engagement:toolkit_create": ({}, only(*STAFF)),
    "engagement:toolkit_detail": (fixture_pk("ward_toolkit"), only(*STAFF)),
    "engagement:toolkit_edit": (fixture_pk("ward_toolkit"), only(*STAFF)),
    "engagement:toolkit_lend": (fixture_pk("ward_toolkit"), only(*STAFF)),
    "engagement:loan_return": (fixture_pk("ward_loan"), only(*STAFF)),
    "engagement:activity_report_list": ({}, only(*STAFF)),
    "engagement:activity_report_detail": (fixture_pk("ward_activity_report"), only(*STAFF)),
    "engagement:incident_list": ({}, only(*STAFF)),
    "engagement:incident_detail": (fixture_pk("ward_incident"), only(*STAFF)),
}

# Object routes that are the same for everyone, wherever they are (test_ownership.py).
UNSCOPED = {
    "open311:request": "Open311 GeoReport reads are public, as the report's own page is "
    "(public fields only, never the reporter)",
}
