"""Who may do what with inclusion reports (django-rules).

Officers and administrators request reports and set targets; councillors and board
members read their areas' reports; partner agencies read the published version of their
partnerships' reports. Every report is also looked up through a scoped selector
(selectors.report_list_for_user), so one outside a person's scope is a 404 first.
"""

import rules

from coproduction.accounts.rules import (
    is_administrator,
    is_board_member,
    is_council_staff,
    is_elected_member,
    is_partner_agency,
)

is_report_reader = is_council_staff | is_elected_member | is_board_member


@rules.predicate
def report_visible(user, report) -> bool:
    from .selectors import report_list_for_user

    if report is None:
        return False
    return report_list_for_user(user=user).filter(pk=report.pk).exists()


@rules.predicate
def is_partner_only(user) -> bool:
    """A partner agency's staff who hold no council role: published figures only."""
    return bool(is_partner_agency(user) and not is_report_reader(user))


rules.add_perm("inclusion.view_reports", is_report_reader | is_partner_agency)
rules.add_perm("inclusion.request_report", is_council_staff)
rules.add_perm("inclusion.manage_targets", is_council_staff)
rules.add_perm("inclusion.view_report", is_administrator | (is_report_reader & report_visible))
rules.add_perm(
    "inclusion.view_published_report",
    is_administrator | ((is_report_reader | is_partner_agency) & report_visible),
)
rules.add_perm("inclusion.publish_report", is_council_staff & report_visible)
