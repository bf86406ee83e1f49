from importlib import import_module

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "coproduction.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from django.conf import settings
        from django.utils.module_loading import autodiscover_modules

        # Each app's jobs.py registers the kinds of job it runs; the test settings add
        # kinds of their own, so that a real worker can run them too.
        autodiscover_modules("jobs")
        for module in getattr(settings, "EXTRA_JOB_MODULES", []):
            import_module(module)
