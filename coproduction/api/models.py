from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiClientQuerySet(models.QuerySet["ApiClient"]):
    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True)

    def with_token_count(self) -> Self:
        """How many unexpired access tokens each client holds now."""
        return self.annotate(
            token_count=models.Count(
                "application__accesstoken",
                filter=Q(application__accesstoken__expires__gt=timezone.now()),
                distinct=True,
            )
        )


class ApiClient(models.Model):
    """A partner agency's access to the API: its OAuth2 application (client credentials)
    and the scopes an administrator granted it.

    The agency is what scopes the data: its client sees what the agency's partnerships
    cover. One client per agency at a time; a revoked client keeps its row (and so the
    audit trail's client id keeps its meaning) but can no longer get or use tokens.
    """

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.PROTECT, related_name="api_client"
    )
    agency = models.ForeignKey(
        "governance.PartnerAgency", on_delete=models.PROTECT, related_name="api_clients"
    )
    # Registered scope names (coproduction.api.scopes), e.g. ["areas:read"].
    scopes = models.JSONField(default=list)
    contact_note = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Who at the agency looks after the integration (a team, not a person)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="api_clients_created",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="api_clients_revoked",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(revoked_at__isnull=True),
                name="api_client_one_active_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} ({self.client_id})"

    @property
    def client_id(self) -> str:
        return self.application.client_id

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyRecord(models.Model):
    """The response to a POST sent with an Idempotency-Key, replayed when the same client
    sends the same key again (until `expires_at`).

    A row with no status yet is a request still being processed: a second one with the
    same key meanwhile gets 409 rather than running twice.
    """

    # Who sent it: "client:<client id>" or "user:<id>".
    caller = models.CharField(max_length=300)
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    # SHA-256 of the method, path, query and body: the same key with another request is
    # refused.
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["caller", "key"], name="api_idempotency_caller_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"

    @property
    def is_complete(self) -> bool:
        return self.response_status is not None
