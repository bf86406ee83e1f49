"""Who may manage partner agencies' API clients: administrators only."""

import rules

from coproduction.accounts.rules import is_administrator

rules.add_perm("api.manage_clients", is_administrator)
