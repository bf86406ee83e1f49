from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InclusionConfig(AppConfig):
    name = "engagement.inclusion"
    label = "inclusion"
    verbose_name = "Inclusion reports"

    def ready(self) -> None:
        from .activity import activity_triggers_ensure

        # A later migration of the engagement app may rebuild the ledger's table (SQLite
        # does for most changes), which drops the triggers that keep the summary fresh:
        # they are put back after every migrate.
        post_migrate.connect(activity_triggers_ensure, sender=self)
