"""The header's navigation: each item names the roles that see it.

Each domain app lists its own items in `<app>/navigation.py` (ITEMS); they appear after
Home, in the order of NAVIGATION_MODULES, and before the account and admin items.
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.http import HttpRequest
from django.urls import reverse

from .roles import Role

# Apps whose `navigation.ITEMS` join the header, in this order.
NAVIGATION_MODULES = [
    "communities.navigation",
    "projects.navigation",
    "engagement.navigation",
    "governance.navigation",
    "coproduction.api.navigation",
    "engagement.inclusion.navigation",
]


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]
    # URL names (or namespace prefixes ending in ":") that mark this item as current.
    active_for: tuple[str, ...] = ()


EVERYONE = frozenset(Role)

LEADING = [NavItem("Home", "home", EVERYONE, ("home",))]
TRAILING = [
    NavItem("Your account", "accounts:account", EVERYONE, ("accounts:",)),
    NavItem("Administration", "admin:index", frozenset({Role.ADMINISTRATOR}), ("admin:",)),
]


@cache
def navigation_items() -> tuple[NavItem, ...]:
    items = list(LEADING)
    for module in NAVIGATION_MODULES:
        items.extend(import_module(module).ITEMS)
    items.extend(TRAILING)
    return tuple(items)


def navigation_for(request: HttpRequest) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items = []
    for item in navigation_items():
        if not item.roles.intersection(user.roles):
            continue
        active = any(
            current.startswith(name) if name.endswith(":") else current == name
            for name in item.active_for
        )
        items.append({"label": item.label, "url": reverse(item.url_name), "active": active})
    return items
