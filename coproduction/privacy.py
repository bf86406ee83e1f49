"""The register of personal data: for every model that holds data about a person, how to
export it (subject access) and how to erase it (right to erasure).

Each app registers its models in its own `privacy.py`, imported when Django starts:

    from coproduction.privacy import personal_data

    @personal_data.exporter(Attendance)
    def export_attendance(subject): ...      # -> list of dicts, one per record

    @personal_data.eraser(Attendance)
    def erase_attendance(subject): ...       # erase or anonymise, in the caller's transaction

`tests/coproduction/test_privacy_registry.py` fails when a model that refers to a person
(a User or a Participant) has no exporter and eraser and is not listed as exempt, with
the reason, in EXEMPT below.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules

# Models that refer to a person but hold no personal data of a data subject: the reason
# is the record of that decision.
EXEMPT: dict[str, str] = {
    "governance.auditevent": "identifiers only, no personal data values; kept as the "
    "accountability record and never altered",
    "governance.signoffrequest": "a staff member's or councillor's official act, kept as a "
    "public decision record",
    "engagement.event": "refers only to the member of staff who set it up: a work record",
    "projects.project": "refers only to its lead officer: a work record",
    "engagement.participationimport": "refers only to the member of staff who imported a "
    "file: a work record",
    "jobs.job": "refers to the member of staff who started it; its upload is deleted once "
    "read, and its errors name lines and columns, not values",
    "governance.budget": "names the councillor who holds it: a public office",
    "governance.prioritycycle": "refers only to the officer who recorded how a public "
    "meeting decided a tied vote: a work record",
    "admin.logentry": "administrators' own actions in the admin site",
    "axes.accessattempt": "sign-in throttling; expires with AXES_COOLOFF_TIME",
    "axes.accesslog": "sign-in records, kept for security",
    "axes.accessfailurelog": "failed sign-ins, kept for security",
    "sessions.session": "expires; erased accounts cannot sign in",
}


@dataclass(frozen=True)
class DataSubject:
    """The person a request is about: their account, their participant profile, or both."""

    user: models.Model | None = None
    participant: models.Model | None = None

    @classmethod
    def for_user(cls, user) -> "DataSubject":
        return cls(user=user, participant=getattr(user, "participant", None))

    @classmethod
    def for_participant(cls, participant) -> "DataSubject":
        return cls(user=participant.user, participant=participant)


Exporter = Callable[[DataSubject], list[dict]]
Eraser = Callable[[DataSubject], None]


class PersonalDataRegister:
    def __init__(self) -> None:
        self.exporters: dict[str, Exporter] = {}
        self.erasers: dict[str, Eraser] = {}
        # Order of erasure: dependants first, the person's own profile last.
        self.order: dict[str, int] = {}

    @staticmethod
    def label(model: type[models.Model]) -> str:
        return model._meta.label_lower

    def exporter(self, model: type[models.Model]) -> Callable[[Exporter], Exporter]:
        def register(func: Exporter) -> Exporter:
            self.exporters[self.label(model)] = func
            return func

        return register

    def eraser(self, model: type[models.Model], *, order: int = 0) -> Callable[[Eraser], Eraser]:
        def register(func: Eraser) -> Eraser:
            self.erasers[self.label(model)] = func
            self.order[self.label(model)] = order
            return func

        return register

    def export(self, subject: DataSubject) -> dict[str, list[dict]]:
        """Everything held about the person, by model label."""
        return {label: exporter(subject) for label, exporter in sorted(self.exporters.items())}

    @transaction.atomic
    def erase(self, subject: DataSubject) -> list[str]:
        """Erase or anonymise every trace of the person; returns the models touched."""
        labels = sorted(self.erasers, key=lambda label: (self.order[label], label))
        for label in labels:
            self.erasers[label](subject)
        return labels


personal_data = PersonalDataRegister()


def autodiscover() -> None:
    autodiscover_modules("privacy")
