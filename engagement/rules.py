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


# Volunteering ---------------------------------------------------------------------------


@rules.predicate
def is_group_lead(user) -> bool:
    """A resident who holds a toolkit or leads a volunteer activity (a NAG's chair...)."""
    from .volunteering.selectors import participant_is_group_lead

    if not user.is_authenticated:
        return False
    return participant_is_group_lead(user=user)


@rules.predicate
def assessment_in_scope(user, assessment) -> bool:
    return assessment is not None and area_in_scope(user, assessment.area)


@rules.predicate
def assessment_applies_in_scope(user, assessment) -> bool:
    """The assessment covers the person's areas: theirs, or an area above them."""
    from coproduction.accounts.selectors import area_list_for_user

    if assessment is None:
        return False
    return area_list_for_user(user=user).with_ancestors().filter(pk=assessment.area_id).exists()


@rules.predicate
def is_assessment_author(user, assessment) -> bool:
    return assessment is not None and user.is_authenticated and assessment.author_id == user.pk


@rules.predicate
def assessment_is_draft(user, assessment) -> bool:
    return assessment is not None and assessment.status == "draft"


@rules.predicate
def assessment_awaits_decision(user, assessment) -> bool:
    return assessment is not None and assessment.status in ("submitted", "under_review")


@rules.predicate
def assessment_is_live(user, assessment) -> bool:
    return assessment is not None and assessment.status in ("approved", "under_review")


@rules.predicate
def activity_in_scope(user, activity) -> bool:
    return activity is not None and area_in_scope(user, activity.area)


@rules.predicate
def is_on_activity(user, activity) -> bool:
    """The person is rostered on the activity (as a volunteer or its lead)."""
    if activity is None or not user.is_authenticated:
        return False
    return activity.roster.filter(participant__user=user).exclude(status="withdrawn").exists()


@rules.predicate
def toolkit_in_scope(user, toolkit) -> bool:
    return toolkit is not None and area_in_scope(user, toolkit.home_area)


@rules.predicate
def incident_in_scope(user, incident) -> bool:
    return incident is not None and area_in_scope(user, incident.activity.area)


rules.add_perm("engagement.manage_volunteering", is_council_staff)
# The object is the area the activity is in.
rules.add_perm("engagement.schedule_volunteering", is_council_staff & area_in_scope)
rules.add_perm("engagement.draft_riskassessment", is_council_staff | is_group_lead)
rules.add_perm(
    "engagement.view_riskassessment",
    (is_council_staff & assessment_applies_in_scope) | is_assessment_author,
)
rules.add_perm(
    "engagement.change_riskassessment",
    assessment_is_draft & ((is_council_staff & assessment_in_scope) | is_assessment_author),
)
# Four eyes: an officer for the area who did not write it.
rules.add_perm(
    "engagement.decide_riskassessment",
    is_council_staff & assessment_in_scope & ~is_assessment_author & assessment_awaits_decision,
)
rules.add_perm(
    "engagement.revise_riskassessment",
    is_council_staff & assessment_in_scope & assessment_is_live,
)
rules.add_perm(
    "engagement.withdraw_riskassessment",
    (is_assessment_author & (assessment_is_draft | assessment_awaits_decision))
    | (is_council_staff & assessment_in_scope),
)
rules.add_perm("engagement.change_volunteeractivity", is_council_staff & activity_in_scope)
rules.add_perm(
    "engagement.report_incident", (is_council_staff & activity_in_scope) | is_on_activity
)
rules.add_perm("engagement.change_toolkit", is_council_staff & toolkit_in_scope)
rules.add_perm("engagement.view_incident", is_council_staff & incident_in_scope)
rules.add_perm("engagement.file_activity_report", is_group_lead)
