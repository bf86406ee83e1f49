"""Optimistic concurrency for records several officers edit (a `version` field)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F


class EditConflictError(ValidationError):
    """The record changed since the editor loaded it."""


def version_check_and_bump(*, instance: models.Model, expected_version: int) -> None:
    """Within the caller's transaction, bump `version` only if it is still the expected one.

    Raises EditConflictError otherwise. One UPDATE ... WHERE version = expected: two
    concurrent saves cannot both pass.
    """
    updated = (
        type(instance)
        .objects.filter(pk=instance.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if updated != 1:
        raise EditConflictError("The record was changed by someone else.", code="edit_conflict")
    instance.version = expected_version + 1
