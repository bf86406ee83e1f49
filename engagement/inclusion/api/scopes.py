from coproduction.api.scopes import scopes

scopes.register(
    "reports:request",
    "Ask for inclusion and representativeness reports about your partnerships",
)
