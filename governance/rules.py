"""Who may do what in governance, as django-rules predicates (checked with has_perm)."""

import rules

from coproduction.accounts.rules import (
    is_administrator,
    is_board_member,
    is_elected_member,
    is_officer,
    is_partner_agency,
    is_resident,
)


@rules.predicate
def reads_partnership(user, partnership) -> bool:
    from .selectors import partnership_list_for_user

    if partnership is None:
        return False
    return partnership_list_for_user(user=user).filter(pk=partnership.pk).exists()


@rules.predicate
def manages_partnership(user, partnership) -> bool:
    from .selectors import partnership_list_managed_by

    if partnership is None:
        return False
    return partnership_list_managed_by(user=user).filter(pk=partnership.pk).exists()


@rules.predicate
def sits_on_board(user, partnership) -> bool:
    from .selectors import board_membership_list_for_user

    if partnership is None:
        return False
    return (
        board_membership_list_for_user(user=user).filter(board__partnership=partnership).exists()
    )


@rules.predicate
def lives_in_partnership_area(user, partnership) -> bool:
    from .selectors import partnership_list_for_resident

    if partnership is None:
        return False
    return partnership_list_for_resident(user=user).filter(pk=partnership.pk).exists()


rules.add_perm("governance.view_partnership", is_administrator | reads_partnership)
rules.add_perm(
    "governance.manage_partnership", is_administrator | (is_officer & manages_partnership)
)
# Board members review priorities and record decisions at their own board's meetings.
rules.add_perm("governance.review_priorities", is_board_member & sits_on_board)
rules.add_perm(
    "governance.record_decisions",
    is_administrator | (is_officer & manages_partnership) | (is_board_member & sits_on_board),
)
# Anyone holding a seat (a councillor or partner manager too) declares their own interests.
rules.add_perm(
    "governance.declare_interest",
    is_administrator | (is_officer & manages_partnership) | sits_on_board,
)
# Residents propose and vote in the cycles of the partnership for where they live.
rules.add_perm("governance.take_part", is_resident & lives_in_partnership_area)
rules.add_perm("governance.sign_off", is_elected_member)
rules.add_perm("governance.view_councillor_page", is_elected_member)
rules.add_perm("governance.view_board_member_page", is_board_member)
rules.add_perm("governance.view_open_cycles", is_resident)
# Auditors hold the model permission governance.read_audit_trail (given in the admin
# site); administrators read the trail through this rule.
rules.add_perm("governance.read_audit_trail", is_administrator)
rules.add_perm("governance.read_partnership_as_partner", is_partner_agency & reads_partnership)
