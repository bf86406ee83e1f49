"""The participation ledger: what the inclusion reports count as taking part.

Every service that makes a qualifying action calls participation_record in the same
transaction, and participation_withdraw when the action is undone.
"""

from datetime import datetime

from django.db import models

from .models import Participant, ParticipationRecord


def participation_source(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}:{obj.pk}"


def participation_record(
    *,
    participant: Participant,
    kind: str,
    occurred_at: datetime,
    action: models.Model,
    area=None,
    project=None,
    event=None,
    partnership=None,
    priority_cycle=None,
    channel: str = "",
) -> ParticipationRecord:
    """Record (or update) the ledger row for one action; idempotent per action."""
    record, _created = ParticipationRecord.objects.update_or_create(
        source=participation_source(action),
        defaults={
            "participant": participant,
            "kind": kind,
            "occurred_at": occurred_at,
            "area": area if area is not None else participant.home_ward,
            "project": project,
            "event": event,
            "partnership": partnership,
            "priority_cycle": priority_cycle,
            "channel": channel,
        },
    )
    return record


def participation_withdraw(*, action: models.Model) -> None:
    """Remove the ledger row of an action that was undone (a cancelled attendance...)."""
    ParticipationRecord.objects.filter(source=participation_source(action)).delete()
