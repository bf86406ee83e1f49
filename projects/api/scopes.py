from coproduction.api.scopes import scopes

scopes.register(
    "projects:read",
    "Read the projects in your partnerships' areas: stage, roster counts, funding and "
    "outcome indicators with their readings",
)
scopes.register(
    "outcomes:write",
    "Post readings of the outcome indicators your agency reports (e.g. ASB incidents)",
)
