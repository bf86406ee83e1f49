"""How a person's account is exported and erased (see coproduction.privacy)."""

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduction.privacy import DataSubject, personal_data

from .models import User

# Erased last: other erasers may still need the account to find the person's records.
ACCOUNT_ERASE_ORDER = 100


@personal_data.exporter(User)
def export_user(subject: DataSubject) -> list[dict]:
    user = subject.user
    if user is None:
        return []
    return [
        {
            "email": user.email,
            "full_name": user.full_name,
            "roles": [role.label for role in user.roles],
            "areas": [area.name for area in user.areas.all()],
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
    ]


@personal_data.eraser(User, order=ACCOUNT_ERASE_ORDER)
def erase_user(subject: DataSubject) -> None:
    user = subject.user
    if user is None:
        return
    # Anonymised, not deleted: records kept as anonymous counts still point at the row.
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = "Erased account"
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "password", "updated_at"])
    user.groups.clear()
    user.areas.clear()


def _devices(model):
    @personal_data.exporter(model)
    def export(subject: DataSubject) -> list[dict]:
        if subject.user is None:
            return []
        return [
            {
                "kind": str(model._meta.verbose_name),
                "name": device.name,
                "confirmed": device.confirmed,
                "created_at": device.created_at.isoformat() if device.created_at else None,
                "last_used_at": device.last_used_at.isoformat() if device.last_used_at else None,
            }
            for device in model.objects.filter(user=subject.user)
        ]

    @personal_data.eraser(model)
    def erase(subject: DataSubject) -> None:
        """Second factors go with the account (never their secret keys in an export)."""
        if subject.user is not None:
            model.objects.filter(user=subject.user).delete()

    return export, erase


_devices(TOTPDevice)
_devices(StaticDevice)
