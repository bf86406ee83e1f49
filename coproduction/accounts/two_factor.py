"""Two-factor authentication: who must use it, and what a session's verification is.

Devices, codes and their throttling are django-otp's (an authenticator app is a
TOTPDevice, the backup codes a StaticDevice). Verification is kept in the session under
django-otp's own key; it is trusted without a query on every request because every
change of device (a new app, a reset by an administrator) raises the person's
session_version, which ends their other sessions.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def two_factor_required(user) -> bool:
    """Whether the person must use a second factor: staff, councillors, board members
    and anyone who may use the administration site."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(role in settings.TWO_FACTOR_REQUIRED_ROLES for role in user.roles)


def two_factor_enabled(user) -> bool:
    """Whether the person has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def session_verified_with(request: HttpRequest, device) -> None:
    """Mark the session as verified by this device (django-otp's session key)."""
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


def app_device_confirmed(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def backup_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=BACKUP_DEVICE_NAME).first()


def backup_codes_left(user) -> int:
    device = backup_device(user)
    return device.token_set.count() if device is not None else 0


def secret_for_display(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The enrolment QR code as inline SVG: drawn on the server, no script, no style."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(
        scale=5,
        border=4,
        dark="#0b0c0c",
        light="#ffffff",
        title="QR code to add your account to an authenticator app",
        svgclass="app-qr-code",
        lineclass=None,
        omitsize=False,
    )
    svg = svg.replace("<svg ", '<svg role="img" ', 1)
    # segno writes the SVG itself (paths and a fixed title): no text of anyone's own.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703
