"""The register of API scopes: one per resource and verb (`areas:read`, `reports:request`).

Each app declares the scopes of its resources in `<app>/api/scopes.py`:

    from coproduction.api.scopes import scopes

    scopes.register("projects:read", "Read projects in your partnerships' areas")

and every API view says which scopes each of its methods needs (`ScopeMap`). An
administrator grants an agency's client some of the registered scopes; a token carries
those it asked for (all of them when it asked for none).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from oauth2_provider.scopes import BaseScopes

SCOPE_NAME = re.compile(r"^[a-z][a-z0-9_-]*:[a-z][a-z0-9_-]*$")


@dataclass(frozen=True)
class Scope:
    name: str
    description: str
    # For partner agencies' clients alone: council staff do the same on the site, so a
    # person signed in does not hold it.
    clients_only: bool = False

    @property
    def resource(self) -> str:
        return self.name.split(":", 1)[0]

    @property
    def verb(self) -> str:
        return self.name.split(":", 1)[1]

    @property
    def is_read(self) -> bool:
        return self.verb == "read"


class ScopeRegistry:
    def __init__(self) -> None:
        self._scopes: dict[str, Scope] = {}

    def register(self, name: str, description: str, *, clients_only: bool = False) -> Scope:
        if not SCOPE_NAME.match(name):
            raise ImproperlyConfigured(f"API scope {name!r} is not of the form resource:verb")
        existing = self._scopes.get(name)
        scope = Scope(name=name, description=description, clients_only=clients_only)
        if existing is not None and existing != scope:
            raise ImproperlyConfigured(f"API scope {name!r} is registered twice")
        self._scopes[name] = scope
        return scope

    def __contains__(self, name: object) -> bool:
        return name in self._scopes

    def __iter__(self):
        return iter(sorted(self._scopes.values(), key=lambda scope: scope.name))

    def names(self) -> list[str]:
        return sorted(self._scopes)

    def read_names(self) -> list[str]:
        return [scope.name for scope in self if scope.is_read]

    def staff_names(self) -> list[str]:
        """What council staff signed in to the site may do through the API: every scope
        but those for partner agencies' clients alone."""
        return [scope.name for scope in self if not scope.clients_only]

    def is_clients_only(self, name: str) -> bool:
        scope = self._scopes.get(name)
        return scope is not None and scope.clients_only

    def descriptions(self) -> dict[str, str]:
        return {scope.name: scope.description for scope in self}

    def choices(self) -> list[tuple[str, str]]:
        return [(scope.name, f"{scope.name}: {scope.description}") for scope in self]

    def known(self, names: Iterable[str]) -> list[str]:
        """The names given that are registered, in order (unknown ones are dropped)."""
        return sorted(set(names) & self._scopes.keys())


scopes = ScopeRegistry()


@dataclass(frozen=True)
class ScopeMap:
    """The scopes an API view needs: `read` for GET and HEAD, `write` for the rest.

    Every API view declares one (`api_scopes`); a test fails for any route without it.
    `ScopeMap.public()` is for the few routes any caller may use (the token endpoint,
    the schema and its documentation page).
    """

    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()
    is_public: bool = False
    # True for views a valid caller may use with no particular scope (e.g. /me/).
    any_caller: bool = False
    names: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(sorted({*self.read, *self.write})))

    @classmethod
    def public(cls) -> "ScopeMap":
        return cls(is_public=True)

    @classmethod
    def authenticated(cls) -> "ScopeMap":
        return cls(any_caller=True)

    def for_method(self, method: str) -> tuple[str, ...]:
        if method.upper() in {"GET", "HEAD", "OPTIONS"}:
            return self.read
        return self.write


class RegistryScopes(BaseScopes):
    """django-oauth-toolkit's view of the register: a client may have the scopes its
    administrator granted, and gets all of them when it asks for none."""

    def get_all_scopes(self) -> dict[str, str]:
        return scopes.descriptions()

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return self._granted(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return self._granted(application)

    @staticmethod
    def _granted(application) -> list[str]:
        from .models import ApiClient

        if application is None:
            return []
        client = ApiClient.objects.active().filter(application=application).first()
        if client is None:
            return []
        return scopes.known(client.scopes)
