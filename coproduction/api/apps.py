from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "coproduction.api"
    label = "api"
    verbose_name = "Partner API"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app declares the scopes of its API resources in `<app>/api/scopes.py`.
        autodiscover_modules("api.scopes")
        from . import schema  # noqa: F401  (registers the OpenAPI authentication extension)
