from coproduction.api.scopes import scopes

scopes.register(
    "areas:read",
    "Read the areas your partnerships cover (with GSS codes) and their census baselines",
)
scopes.register(
    "assets:read",
    "Read the community assets (places and organisations) in your partnerships' areas",
)
scopes.register(
    "assets:write",
    "Add places and organisations to the asset register in your partnerships' areas",
    clients_only=True,
)
