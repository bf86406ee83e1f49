import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One entry of the append-only audit trail: who did what to which record, and when.

    It holds identifiers and field names only, never the values of personal data. The
    database refuses updates and deletes on it (a trigger, on PostgreSQL).
    """

    class Outcome(models.TextChoices):
        OK = "ok", _("Done")
        REFUSED = "refused", _("Refused")
        ERROR = "error", _("Failed")

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # No database constraint: erasing a person must not touch the trail, which keeps
    # only the id (and the role they acted in).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_role = models.CharField(max_length=30, blank=True)
    # An API client (OAuth application) acting for a partner agency.
    api_client = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # For reads of many records at once (an API list): their ids.
    object_ids = models.JSONField(default=list, blank=True)
    # The names of the fields changed or read, never their values.
    fields = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome, default=Outcome.OK)
    route = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        # Given to auditors (through a group or directly) in the administration site.
        permissions = [("read_audit_trail", "Can read the audit trail")]
        triggers = [
            pgtrigger.Protect(
                name="audit_event_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are never deleted.")
