"""This app's items in the header's navigation (see coproduction.accounts.navigation)."""

from coproduction.accounts.navigation import NavItem
from coproduction.accounts.roles import Role

STAFF = frozenset({Role.OFFICER, Role.ADMINISTRATOR})
FIGURES = frozenset({Role.OFFICER, Role.ADMINISTRATOR, Role.ELECTED_MEMBER, Role.BOARD_MEMBER})

ITEMS: list[NavItem] = [
    NavItem(
        "Reports",
        "engagement:report_queue",
        STAFF,
        ("engagement:report_queue", "engagement:report_manage", "engagement:report_stats"),
    ),
    NavItem(
        "Champions",
        "engagement:champion_list",
        STAFF,
        ("engagement:champion_list", "engagement:champion_detail"),
    ),
    NavItem(
        "Events",
        "engagement:event_list",
        STAFF,
        ("engagement:event_list", "engagement:event_create", "engagement:event_attendance"),
    ),
    NavItem(
        "People",
        "engagement:participant_list",
        STAFF,
        (
            "engagement:participant_list",
            "engagement:participant_detail",
            "engagement:participant_edit",
            "engagement:participant_erase",
        ),
    ),
    NavItem(
        "Volunteering",
        "engagement:volunteering_dashboard",
        STAFF,
        (
            "engagement:volunteering_dashboard",
            "engagement:task_list",
            "engagement:task_create",
            "engagement:task_edit",
            "engagement:assessment_list",
            "engagement:assessment_create",
            "engagement:assessment_detail",
            "engagement:assessment_edit",
            "engagement:volunteer_list",
            "engagement:volunteer_detail",
            "engagement:activity_list",
            "engagement:activity_create",
            "engagement:activity_detail",
            "engagement:activity_edit",
            "engagement:toolkit_list",
            "engagement:toolkit_create",
            "engagement:toolkit_detail",
            "engagement:toolkit_edit",
            "engagement:toolkit_lend",
            "engagement:loan_return",
            "engagement:activity_report_list",
            "engagement:activity_report_detail",
            "engagement:incident_list",
            "engagement:incident_detail",
            "engagement:incident_report",
        ),
    ),
    NavItem(
        "Area figures",
        "engagement:area_summary",
        frozenset({Role.ELECTED_MEMBER, Role.BOARD_MEMBER}),
        ("engagement:area_summary", "engagement:report_stats"),
    ),
    NavItem(
        "My page",
        "engagement:my_page",
        frozenset({Role.RESIDENT}),
        (
            "engagement:my_page",
            "engagement:my_details_edit",
            "engagement:my_equality",
            "engagement:my_delete",
        ),
    ),
    NavItem(
        "Volunteering",
        "engagement:my_volunteering",
        frozenset({Role.RESIDENT}),
        (
            "engagement:my_volunteering",
            "engagement:my_disclaimer",
            "engagement:activity_report_create",
        ),
    ),
    NavItem(
        "Report a problem",
        "engagement:report_start",
        frozenset({Role.RESIDENT}),
        ("engagement:report_start", "engagement:report_details"),
    ),
]
