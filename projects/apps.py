from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Co-production projects"

    def ready(self) -> None:
        # Gate checks other apps register in their gates.py (see projects.gates).
        from .gates import autodiscover

        autodiscover()
