"""Who is calling the API: a partner agency's client (an OAuth2 token), or a signed-in
person using the API from the site's own pages (a session, with CSRF)."""

from dataclasses import dataclass
from functools import cached_property

from coproduction.accounts.roles import Role

from .models import ApiClient
from .scopes import scopes

# Session callers: who may use the API from the browser at all, and who may write.
SESSION_READ_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.OFFICER,
        Role.ELECTED_MEMBER,
        Role.BOARD_MEMBER,
        Role.PARTNER_AGENCY,
    }
)
SESSION_WRITE_ROLES = frozenset({Role.ADMINISTRATOR, Role.OFFICER})


class ApiClientUser:
    """`request.user` for a call made with a client's token: authenticated, but not a
    person. It holds no roles and no permissions of its own; the client's scopes and
    its agency's partnerships decide what it may do."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None
    roles: list[Role] = []
    primary_role = None

    def __init__(self, client: ApiClient) -> None:
        self.api_client = client

    def __str__(self) -> str:
        return f"API client {self.api_client.client_id}"

    def has_role(self, role: Role) -> bool:
        return False

    def has_perm(self, perm: str, obj=None) -> bool:
        return False

    def has_perms(self, perm_list, obj=None) -> bool:
        return False


@dataclass(frozen=True)
class ApiCaller:
    user: object | None = None
    client: ApiClient | None = None
    token_scopes: frozenset[str] = frozenset()

    @property
    def is_client(self) -> bool:
        return self.client is not None

    @property
    def is_authenticated(self) -> bool:
        return self.client is not None or (
            self.user is not None and getattr(self.user, "is_authenticated", False)
        )

    @property
    def agency(self):
        if self.client is not None:
            return self.client.agency
        return getattr(self.user, "partner_agency", None)

    @cached_property
    def scopes(self) -> frozenset[str]:
        """What this caller may do: a token's scopes (never more than its client was
        granted), or for a person, the read scopes if their role uses the API and, for
        council staff, the write scopes that are not for partner agencies' clients alone."""
        if self.client is not None:
            return frozenset(self.token_scopes) & frozenset(self.client.scopes)
        if not self.is_authenticated:
            return frozenset()
        roles = set(self.user.roles)
        if roles & SESSION_WRITE_ROLES:
            return frozenset(scopes.staff_names())
        if roles & SESSION_READ_ROLES:
            return frozenset(scopes.read_names())
        return frozenset()

    @property
    def may_use_api(self) -> bool:
        if self.client is not None:
            return self.client.is_active
        return self.is_authenticated and bool(set(self.user.roles) & SESSION_READ_ROLES)

    @property
    def key(self) -> str:
        """A stable identifier for throttling, idempotency keys and the audit trail."""
        if self.client is not None:
            return f"client:{self.client.client_id}"
        if self.is_authenticated:
            return f"user:{self.user.pk}"
        return "anonymous"

    @property
    def audit_client(self) -> str:
        return self.client.client_id if self.client is not None else ""

    @property
    def audit_actor(self):
        return None if self.client is not None or not self.is_authenticated else self.user


def api_caller(request) -> ApiCaller:
    """The caller of a DRF request, worked out once per request."""
    cached = getattr(request, "_api_caller", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if isinstance(user, ApiClientUser):
        token = request.auth
        caller = ApiCaller(
            client=user.api_client, token_scopes=frozenset((token.scope or "").split())
        )
    else:
        caller = ApiCaller(user=user)
    request._api_caller = caller
    return caller
