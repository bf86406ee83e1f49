from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "coproduction.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from coproduction.privacy import autodiscover

        # Every app's privacy.py registers how its personal data is exported and erased.
        autodiscover()
