"""Partner agencies' API clients: created, their secret reset, their tokens and
themselves revoked, by an administrator. Each change lands in the audit trail."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, RefreshToken

from coproduction.accounts.models import User
from governance.audit import audit_record
from governance.models import PartnerAgency

from .models import ApiClient
from .scopes import scopes as scope_registry


def _scopes_clean(names: Iterable[str]) -> list[str]:
    names = list(dict.fromkeys(names))
    unknown = sorted(set(names) - set(scope_registry.names()))
    if unknown:
        raise ValidationError({"scopes": f"Unknown scopes: {', '.join(unknown)}."})
    if not names:
        raise ValidationError({"scopes": "Select at least one scope."})
    return sorted(names)


@transaction.atomic
def api_client_create(
    *,
    agency: PartnerAgency,
    scopes: Iterable[str],
    created_by: User,
    contact_note: str = "",
    client_id: str | None = None,
    client_secret: str | None = None,
) -> tuple[ApiClient, str]:
    """Create the agency's client and return it with its secret, in clear this once.

    The secret is stored hashed (django-oauth-toolkit hashes it on save), so it can never
    be shown again: a lost secret is reset, not recovered. `client_id` and
    `client_secret` are for the demo's published client only.
    """
    names = _scopes_clean(scopes)
    # Lock the agency so that two administrators cannot both give it a client.
    PartnerAgency.objects.select_for_update().get(pk=agency.pk)
    if ApiClient.objects.active().filter(agency=agency).exists():
        raise ValidationError(
            {"agency": f"{agency} already has an API client: revoke it before adding another."}
        )
    secret = client_secret or generate_client_secret()
    application = Application(
        name=agency.name[:255],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
        user=None,
    )
    if client_id:
        application.client_id = client_id
    application.save()
    client = ApiClient.objects.create(
        application=application,
        agency=agency,
        scopes=names,
        contact_note=contact_note.strip(),
        created_by=created_by,
    )
    audit_record(
        actor=created_by,
        action="api client create",
        obj=client,
        fields=["agency", "scopes", "client_secret"],
    )
    return client, secret


@transaction.atomic
def api_client_scopes_set(*, client: ApiClient, scopes: Iterable[str], actor: User) -> ApiClient:
    """Change what the client may do. Its live tokens are revoked, so that none holds a
    scope that was taken away."""
    names = _scopes_clean(scopes)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if not client.is_active:
        raise ValidationError("A revoked client cannot be changed.")
    if names == sorted(client.scopes):
        return client
    client.scopes = names
    client.save(update_fields=["scopes", "updated_at"])
    _tokens_delete(client)
    audit_record(actor=actor, action="api client scopes set", obj=client, fields=["scopes"])
    return client


@transaction.atomic
def api_client_secret_reset(*, client: ApiClient, actor: User) -> str:
    """A new secret, returned in clear this once; the old one and its tokens stop working."""
    client = ApiClient.objects.select_for_update().select_related("application").get(pk=client.pk)
    if not client.is_active:
        raise ValidationError("A revoked client cannot be given a new secret.")
    secret = generate_client_secret()
    application = client.application
    application.client_secret = secret
    application.save(update_fields=["client_secret", "updated"])
    _tokens_delete(client)
    audit_record(
        actor=actor, action="api client secret reset", obj=client, fields=["client_secret"]
    )
    return secret


@transaction.atomic
def api_client_tokens_revoke(*, client: ApiClient, actor: User) -> int:
    """Revoke every token the client holds now; it may ask for new ones."""
    count = _tokens_delete(client)
    audit_record(actor=actor, action="api client tokens revoke", obj=client, fields=["tokens"])
    return count


@transaction.atomic
def api_client_revoke(*, client: ApiClient, actor: User) -> ApiClient:
    """Revoke the client for good: no new tokens, and those it holds stop working.

    Revoking a revoked client does nothing. The agency may then be given a new client.
    """
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if not client.is_active:
        return client
    client.revoked_at = timezone.now()
    client.revoked_by = actor
    client.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    _tokens_delete(client)
    audit_record(actor=actor, action="api client revoke", obj=client, fields=["revoked_at"])
    return client


def _tokens_delete(client: ApiClient) -> int:
    RefreshToken.objects.filter(application_id=client.application_id).delete()
    _, deleted = AccessToken.objects.filter(application_id=client.application_id).delete()
    return deleted.get(AccessToken._meta.label, 0)
