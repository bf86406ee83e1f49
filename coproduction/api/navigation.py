from coproduction.accounts.navigation import NavItem
from coproduction.accounts.roles import Role

ITEMS = [
    NavItem("API clients", "api_clients:list", frozenset({Role.ADMINISTRATOR}), ("api_clients:",)),
]
