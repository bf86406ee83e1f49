"""Personal data in the API's records (see coproduction.privacy).

API clients name the administrators who created and revoked them. django-oauth-toolkit's
models can name a user too, though client credentials never do: only tokens issued to a
person would, and this service issues none, but the register covers them all the same.
"""

from oauth2_provider.models import (
    AccessToken,
    Application,
    DeviceGrant,
    Grant,
    IDToken,
    RefreshToken,
)

from coproduction.privacy import DataSubject, personal_data

from .models import ApiClient


@personal_data.exporter(ApiClient)
def export_api_clients(subject: DataSubject) -> list[dict]:
    if subject.user is None:
        return []
    rows = []
    for client in ApiClient.objects.filter(created_by=subject.user).select_related("agency"):
        rows.append({"created": client.created_at.isoformat(), "agency": client.agency.name})
    for client in ApiClient.objects.filter(revoked_by=subject.user).select_related("agency"):
        rows.append({"revoked": client.revoked_at.isoformat(), "agency": client.agency.name})
    return rows


@personal_data.eraser(ApiClient)
def erase_api_clients(subject: DataSubject) -> None:
    if subject.user is None:
        return
    ApiClient.objects.filter(created_by=subject.user).update(created_by=None)
    ApiClient.objects.filter(revoked_by=subject.user).update(revoked_by=None)


def _when(row) -> str | None:
    moment = getattr(row, "expires", None) or getattr(row, "created", None)
    return moment.isoformat() if moment else None


def _oauth_exporter(model):
    def export(subject: DataSubject) -> list[dict]:
        if subject.user is None:
            return []
        return [
            {"record": str(model._meta.verbose_name), "expires": _when(row)}
            for row in model.objects.filter(user=subject.user)
        ]

    return export


def _oauth_eraser(model):
    def erase(subject: DataSubject) -> None:
        if subject.user is not None:
            model.objects.filter(user=subject.user).delete()

    return erase


for _model in (AccessToken, RefreshToken, Grant, IDToken, DeviceGrant, Application):
    personal_data.exporter(_model)(_oauth_exporter(_model))
for _model in (AccessToken, RefreshToken, Grant, IDToken, DeviceGrant):
    personal_data.eraser(_model)(_oauth_eraser(_model))


@personal_data.eraser(Application)
def erase_applications(subject: DataSubject) -> None:
    # Kept (an agency's client may hang from it), but no longer tied to the person.
    if subject.user is not None:
        Application.objects.filter(user=subject.user).update(user=None)
