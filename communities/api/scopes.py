from coproduction.api.scopes import scopes

scopes.register(
    "areas:read",
    "Read the areas your partnerships cover (with GSS codes) and their census baselines",
)
