from coproduction.api.scopes import scopes

scopes.register(
    "events:read",
    "Read the events in your partnerships' areas, with registration and attendance counts",
)
scopes.register(
    "events:write",
    "Add your agency's own events and report how many came to them",
    clients_only=True,
)
scopes.register(
    "reports:read",
    "Read the issue reports in your partnerships' areas that a team your agency runs deals "
    "with (never who reported them), and the inclusion reports you asked for",
)
scopes.register(
    "reports:write",
    "Move the issue reports your agency's teams deal with along, with a public update",
    clients_only=True,
)
scopes.register(
    "open311:write",
    "Post residents' issue reports through Open311 GeoReport v2 (FixMyStreet)",
    clients_only=True,
)
scopes.register(
    "volunteering:read",
    "Read the volunteer activities in your partnerships' areas: task, day, place, whether a "
    "risk assessment covers it and how many are rostered (never who)",
)
scopes.register(
    "volunteering:write",
    "Schedule volunteer activities for events your agency organises and roster volunteers "
    "known to your agency on them, through the council's safety checks",
    clients_only=True,
)
