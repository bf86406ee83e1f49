"""Who may do what with projects (checked with user.has_perm; see projects.scope)."""

import rules

from coproduction.accounts.rules import (
    is_administrator,
    is_board_member,
    is_council_staff,
    is_elected_member,
    is_officer,
    is_partner_agency,
)

from . import scope


@rules.predicate
def can_see_project(user, project) -> bool:
    return project is not None and scope.project_is_visible(user=user, project=project)


@rules.predicate
def can_change_project(user, project) -> bool:
    return project is not None and scope.project_is_changeable(user=user, project=project)


@rules.predicate
def can_see_project_people(user, project) -> bool:
    return project is not None and scope.project_people_are_visible(user=user, project=project)


# The register: staff, councillors, board members and partner agencies (each scoped).
rules.add_perm(
    "projects.view_project_list",
    is_council_staff | is_elected_member | is_board_member | is_partner_agency,
)
rules.add_perm("projects.view_project", can_see_project)
rules.add_perm("projects.add_project", is_council_staff)
rules.add_perm("projects.change_project", (is_administrator | is_officer) & can_change_project)
rules.add_perm("projects.view_project_people", can_see_project_people)
# Funding exports and the 360Giving file: the council's own staff, who publish it.
rules.add_perm("projects.export_funding", is_council_staff)
