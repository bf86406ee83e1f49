from coproduction.api.scopes import scopes

scopes.register(
    "partnerships:read",
    "Read the partnerships your agency belongs to and the agencies in them",
)
scopes.register(
    "priorities:read",
    "Read your partnerships' priority cycles, their priorities, and the board decisions "
    "their published minutes record",
)
