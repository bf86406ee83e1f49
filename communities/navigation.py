"""This app's items in the header's navigation (see coproduction.accounts.navigation)."""

from coproduction.accounts.navigation import NavItem

ITEMS: list[NavItem] = []
