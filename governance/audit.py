"""Writing to the audit trail: every sign-off, decision, stage change, change to personal
data, and every read of equality data or risk assessments lands here.

Only identifiers and field names are written, never values.
"""

import logging
from collections.abc import Iterable

from django.db import models

from .models import AuditEvent

logger = logging.getLogger(__name__)


def _object_type(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_ids: Iterable[int | str] = (),
    fields: Iterable[str] = (),
    outcome: str = AuditEvent.Outcome.OK,
    route: str = "",
    api_client: str = "",
) -> AuditEvent:
    """Append one event. `actor` is a User, or None for the system (a scheduled job).

    Called inside the transaction of the change it records, so that the change and its
    record commit or roll back together.
    """
    if obj is not None:
        object_type = object_type or _object_type(obj)
        object_id = object_id or obj.pk
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    role = ""
    if authenticated:
        primary = actor.primary_role
        role = primary.value if primary else ""
    event = AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_role=role,
        api_client=api_client,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        object_ids=[str(i) for i in object_ids],
        fields=sorted(set(fields)),
        outcome=outcome,
        route=route[:200],
    )
    logger.info("audit %s", action, extra={"audit_event_id": event.pk, "object_type": object_type})
    return event
