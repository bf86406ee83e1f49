"""This app's rows of the role x page matrix (see tests/permissions.py)."""

from tests.permissions import FORBIDDEN, LOGIN, NOT_ALLOWED, OK, ROLES, everyone, only

READERS = ("officer", "elected_member", "board_member", "partner_user", "administrator")
MANAGERS = ("officer", "administrator")
RECORDERS = ("officer", "board_member", "administrator")


def pk_of(name: str):
    def kwargs(fixture) -> dict:
        return {"pk": fixture(name).pk}

    return kwargs


def post_only() -> dict:
    return {**dict.fromkeys(ROLES, NOT_ALLOWED), None: LOGIN}


PAGES = {
    "governance:partnership_list": ({}, only(*READERS)),
    "governance:partnership_detail": (pk_of("partnership_with_board"), only(*READERS)),
    "governance:board_edit": (pk_of("partnership"), only(*MANAGERS)),
    "governance:membership_add": (pk_of("partnership_with_board"), only(*MANAGERS)),
    "governance:membership_end": (pk_of("membership_to_end"), only(*MANAGERS)),
    "governance:call_create": (pk_of("partnership_with_board"), only(*MANAGERS)),
    "governance:call_detail": (pk_of("seat_call"), only(*MANAGERS)),
    "governance:application_add": (pk_of("seat_call"), only(*MANAGERS)),
    "governance:quota_add": (pk_of("seat_call"), only(*MANAGERS)),
    "governance:draw": (pk_of("seat_call"), only(*MANAGERS)),
    "governance:draw_detail": (pk_of("lottery_draw_record"), only(*MANAGERS)),
    "governance:draw_appoint": (pk_of("lottery_draw_record"), post_only()),
    "governance:cycle_create": (pk_of("partnership"), only(*MANAGERS)),
    "governance:cycle_detail": (pk_of("review_cycle"), only(*READERS)),
    "governance:cycle_advance": (pk_of("review_cycle"), post_only()),
    "governance:cycle_adopt_forum_result": (pk_of("review_cycle"), post_only()),
    "governance:priority_propose": (pk_of("proposing_cycle"), only("resident", *MANAGERS)),
    "governance:cycle_vote": (pk_of("voting_cycle"), only("resident")),
    "governance:paper_ballot": (pk_of("voting_cycle"), only(*MANAGERS)),
    "governance:cycle_review": (pk_of("review_cycle"), only("board_member")),
    "governance:cycle_open_list": ({}, only("resident")),
    "governance:priority_detail": (pk_of("adopted_priority"), only(*READERS)),
    "governance:task_group_add": (pk_of("adopted_priority"), only(*MANAGERS)),
    "governance:priority_projects": (pk_of("adopted_priority"), only(*MANAGERS)),
    "governance:meeting_create": (pk_of("partnership_with_board"), only(*MANAGERS)),
    "governance:meeting_detail": (pk_of("board_meeting"), only(*READERS)),
    "governance:item_add": (pk_of("board_meeting"), only(*MANAGERS)),
    "governance:member_attendance": (pk_of("board_meeting"), only(*RECORDERS)),
    "governance:forum_attendance": (pk_of("forum_meeting"), only(*MANAGERS)),
    "governance:interest_declare": (pk_of("agenda_item"), only(*RECORDERS, "elected_member")),
    "governance:agenda_paper": (pk_of("agenda_item_with_paper"), only(*READERS)),
    "governance:decision_record": (pk_of("agenda_item"), only(*RECORDERS)),
    "governance:minutes_edit": (pk_of("board_meeting"), only(*MANAGERS)),
    "governance:minutes_publish": (pk_of("board_meeting"), post_only()),
    "governance:minutes_list": ({}, everyone(OK)),
    "governance:minutes_public": (pk_of("published_meeting"), everyone(OK)),
    "governance:councillor": ({}, only("elected_member", "administrator")),
    "governance:signoff_decide": (
        pk_of("signoff"),
        only("officer", "elected_member", "administrator"),
    ),
    "governance:award_create": (pk_of("partnership_with_board"), only(*MANAGERS)),
    "governance:cabinet_update": (pk_of("partnership_with_board"), only(*READERS)),
    "governance:cabinet_update_pdf": (pk_of("partnership_with_board"), only(*READERS)),
    "governance:board_member": ({}, only("board_member", "administrator")),
    "governance:audit_list": ({}, only("administrator")),
}

__all__ = ["FORBIDDEN", "PAGES"]
