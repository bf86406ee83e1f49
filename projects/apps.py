from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Co-production projects"

    def ready(self) -> None:
        # Gate checks other apps register in their gates.py (see projects.gates).
        from governance.signoffs import signoff_decided

        from .gates import autodiscover

        autodiscover()
        signoff_decided.connect(
            _funding_signoff_decided, dispatch_uid="projects.funding_line_signoff_decided"
        )


def _funding_signoff_decided(sender, *, request, **kwargs) -> None:
    # A member's decision on a funding line commits or refuses it (projects.services).
    from .services import funding_line_signoff_decided

    funding_line_signoff_decided(request=request)
