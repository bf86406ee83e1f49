from rest_framework.permissions import BasePermission

from .callers import api_caller
from .scopes import scopes


class HasApiScope(BasePermission):
    """The caller holds every scope the view declares for the method (`api_scopes`).

    Views without a declaration are refused outright, so a view added without thinking
    about scopes is closed rather than open.
    """

    def has_permission(self, request, view) -> bool:
        scope_map = getattr(view, "api_scopes", None)
        if scope_map is None:
            self.message = "This endpoint declares no scopes, so no one may call it."
            return False
        if scope_map.is_public or not hasattr(view, request.method.lower()):
            # A method the view lacks is answered 405 by DRF, not refused here.
            return True
        caller = api_caller(request)
        if not caller.is_authenticated:
            return False
        if not caller.may_use_api:
            self.message = (
                "The API is for partner agencies' clients and for council staff signed in "
                "to the site."
            )
            return False
        needed = scope_map.for_method(request.method)
        if not needed and not scope_map.any_caller:
            self.message = f"{request.method} is not allowed here."
            return False
        missing = sorted(set(needed) - caller.scopes)
        if missing:
            names = ", ".join(missing)
            if caller.is_client:
                self.message = (
                    f"This token does not have the scope {names}, which {request.method} "
                    "on this endpoint needs. Ask for it when you request the token, or ask "
                    "the council to grant it to your client."
                )
            elif all(scopes.is_clients_only(name) for name in missing):
                self.message = (
                    f"{request.method} here ({names}) is for partner agencies' clients: "
                    "council staff do this on the site."
                )
            else:
                self.message = f"Your role does not allow {request.method} here ({names})."
            return False
        return True
