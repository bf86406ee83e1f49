from coproduction.api.scopes import scopes

scopes.register(
    "partnerships:read",
    "Read the partnerships your agency belongs to and the agencies in them",
)
