from coproduction.api.scopes import scopes

scopes.register(
    "events:read",
    "Read the events in your partnerships' areas, with registration and attendance counts",
)
scopes.register(
    "events:write",
    "Add your agency's own events and report how many came to them",
)
