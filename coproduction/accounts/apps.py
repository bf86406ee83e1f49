from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coproduction.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from coproduction.privacy import autodiscover
        from coproduction.retention import autodiscover as retention_autodiscover

        # Every app's privacy.py registers how its personal data is exported and erased,
        # its retention.py how long its records are kept.
        autodiscover()
        retention_autodiscover()
