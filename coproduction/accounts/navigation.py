"""The header's navigation: each item names the roles that see it.

Apps add their own items here as their pages arrive.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from .roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[Role]
    # URL names (or namespace prefixes ending in ":") that mark this item as current.
    active_for: tuple[str, ...] = ()


EVERYONE = frozenset(Role)

NAVIGATION: list[NavItem] = [
    NavItem("Home", "home", EVERYONE, ("home",)),
    NavItem("Your account", "accounts:account", EVERYONE, ("accounts:",)),
    NavItem("Administration", "admin:index", frozenset({Role.ADMINISTRATOR}), ("admin:",)),
]


def navigation_for(request: HttpRequest) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items = []
    for item in NAVIGATION:
        if not item.roles.intersection(user.roles):
            continue
        active = any(
            current.startswith(name) if name.endswith(":") else current == name
            for name in item.active_for
        )
        items.append({"label": item.label, "url": reverse(item.url_name), "active": active})
    return items
