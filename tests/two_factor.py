"""Second factors for the people tests sign in.

Tests that sign someone in with `force_login` (the `client` fixture, DRF's APIClient, the
browser's `new_page(user=...)`) are about what the person does once signed in: the
suite-wide fixture in tests/conftest.py makes `force_login` also verify a second factor
for people who must use one, here and nowhere else. Tests of the enforcement itself sign
in with `force_login_without_second_factor`.
"""

from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduction.accounts.two_factor import APP_DEVICE_NAME, two_factor_required

force_login_unverified = ClientMixin.force_login


def app_device_for(user) -> TOTPDevice:
    """The person's confirmed authenticator app, added if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
    return device


def force_login_with_second_factor(client, user, backend=None) -> None:
    force_login_unverified(client, user, backend)
    if two_factor_required(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = app_device_for(user).persistent_id
        session.save()


def force_login_without_second_factor(client, user) -> None:
    """Password sign-in only: the second step not yet taken."""
    force_login_unverified(client, user)


def totp_now(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code the person's app shows now (or `offset_steps` periods away)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
