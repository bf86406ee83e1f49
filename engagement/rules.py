"""Who may do what in the engagement app (django-rules).

Officers manage champions, reports, events, attendance and people in their areas;
elected members and board members read their areas' aggregates; residents their own
records; partner agencies nothing here yet. Every object is also looked up through a
scoped selector, so an object outside a person's areas is a 404 before any rule runs.
"""

import rules

from coproduction.accounts.rules import (
    area_in_scope,
    is_board_member,
    is_council_staff,
    is_elected_member,
)


@rules.predicate
def champion_in_scope(user, champion) -> bool:
    return champion is not None and area_in_scope(user, champion.ward)


@rules.predicate
def report_in_scope(user, report) -> bool:
    return report is not None and area_in_scope(user, report.ward)


@rules.predicate
def event_in_scope(user, event) -> bool:
    return event is not None and area_in_scope(user, event.area)


@rules.predicate
def participant_in_scope(user, participant) -> bool:
    return participant is not None and area_in_scope(user, participant.home_ward)


rules.add_perm("engagement.manage", is_council_staff)
rules.add_perm("engagement.import_participation", is_council_staff)
rules.add_perm(
    "engagement.view_area_figures", is_council_staff | is_elected_member | is_board_member
)
rules.add_perm("engagement.change_streetchampion", is_council_staff & champion_in_scope)
rules.add_perm("engagement.change_issuereport", is_council_staff & report_in_scope)
rules.add_perm("engagement.change_event", is_council_staff & event_in_scope)
rules.add_perm("engagement.change_participant", is_council_staff & participant_in_scope)
