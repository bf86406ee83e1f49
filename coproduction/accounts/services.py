import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from communities.models import Area
from governance.audit import audit_record
from governance.models import PartnerAgency

from . import two_factor
from .middleware import HAD_SECOND_FACTOR
from .models import User
from .roles import Role

logger = logging.getLogger(__name__)


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    roles: Iterable[Role] = (),
    areas: Iterable[Area] = (),
    partner_agency: PartnerAgency | None = None,
) -> User:
    """Create a person's account with their roles and areas.

    A partner agency's staff must name their agency. An unusable password is set when
    none is given, so the person sets their own through a reset link.
    """
    roles = list(roles)
    if Role.PARTNER_AGENCY in roles and partner_agency is None:
        raise ValueError("A partner agency account must name its agency.")
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        partner_agency=partner_agency,
        is_staff=Role.ADMINISTRATOR in roles,
        is_superuser=Role.ADMINISTRATOR in roles,
    )
    user_roles_set(user=user, roles=roles)
    user.areas.set(areas)
    return user


def user_roles_set(*, user: User, roles: Iterable[Role]) -> None:
    """Give a person exactly these roles."""
    # get_or_create: the groups come from a migration, but a flushed database (tests,
    # a restored dump) must not silently strip people of their roles.
    groups = [Group.objects.get_or_create(name=Role(role).value)[0] for role in roles]
    user.groups.set(groups)
    user.__dict__.pop("roles", None)


def password_reset_email_send(*, user_id: int) -> None:
    """Email a password reset link, built from SITE_URL rather than a request's Host."""
    user = User.objects.get(pk=user_id, is_active=True)
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "reset_url": f"{settings.SITE_URL}{path}",
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("accounts/email/password_reset_subject.txt", context).strip()
    body = render_to_string("accounts/email/password_reset.txt", context)
    message = EmailMultiAlternatives(subject, body, to=[user.email])
    message.send()
    logger.info("password reset email sent", extra={"user_id": user.pk})


# Two-factor authentication and sessions -------------------------------------------------


def user_sessions_end_everywhere(*, user: User, request: HttpRequest | None = None) -> None:
    """Sign the person out of every session; the request's own session stays, if given."""
    User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
    user.refresh_from_db(fields=["session_version"])
    if request is not None and request.user.is_authenticated and request.user.pk == user.pk:
        update_session_auth_hash(request, user)


def two_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator app the person is adding (a new key each time)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def two_factor_enrolment_confirm(
    *, user: User, device: TOTPDevice, token: str, request: HttpRequest
) -> list[str] | None:
    """Confirm a new authenticator app with a code from it.

    Returns the new backup codes, or None if the code is wrong. The app replaces any
    earlier one; the person's other sessions end, this one is verified.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _backup_codes_replace(user=user)
    user_sessions_end_everywhere(user=user, request=request)
    two_factor.session_verified_with(request, device)
    request.session[HAD_SECOND_FACTOR] = True
    audit_record(actor=user, action="accounts.two_factor.enrolled", obj=user)
    return codes


def _backup_codes_replace(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=two_factor.BACKUP_DEVICE_NAME)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_backup_codes_replace(*, user: User) -> list[str]:
    """New backup codes; the old ones stop working."""
    codes = _backup_codes_replace(user=user)
    audit_record(actor=user, action="accounts.two_factor.backup_codes_replaced", obj=user)
    return codes


def two_factor_verify(*, user: User, token: str, request: HttpRequest) -> Device | None:
    """Check a code from the person's app, or one of their backup codes (used up once
    accepted). Wrong codes are throttled by django-otp: each doubles the wait."""
    token = "".join(token.split()).lower()
    device = None
    if token.isdigit():
        app = two_factor.app_device_confirmed(user)
        if app is not None:
            device = verify_token(user, app.persistent_id, token)
    else:
        backup = two_factor.backup_device(user)
        if backup is not None:
            device = verify_token(user, backup.persistent_id, token)
            if device is not None:
                audit_record(actor=user, action="accounts.two_factor.backup_code_used", obj=user)
    if device is not None:
        request.session.cycle_key()
        two_factor.session_verified_with(request, device)
    else:
        logger.warning("two-factor code refused", extra={"user_id": user.pk})
    return device


def two_factor_wait_seconds(*, user: User) -> int:
    """How long the person must wait before trying another code (0: they may now)."""
    waits = []
    for device in (two_factor.app_device_confirmed(user), two_factor.backup_device(user)):
        if device is None:
            continue
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            waits.append((details["locked_until"] - timezone.now()).total_seconds())
    return max(0, int(max(waits, default=0)) + 1) if waits else 0


@transaction.atomic
def two_factor_reset(*, user: User, actor: User | None, reason: str = "") -> None:
    """Remove the person's app and backup codes and sign them out everywhere: at their
    next sign-in they set up a new app. For a lost phone; recorded in the audit trail
    (actor None: the break-glass command)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user_sessions_end_everywhere(user=user)
    audit_record(actor=actor, action="accounts.two_factor.reset", obj=user)
    logger.info(
        "two-factor reset",
        extra={"user_id": user.pk, "actor_id": actor.pk if actor else None, "reason": reason},
    )


@transaction.atomic
def two_factor_disable(*, user: User, request: HttpRequest) -> None:
    """Turn off the person's own second factor: only for those who need not use one."""
    if two_factor.two_factor_required(user):
        raise PermissionDenied("Your role needs two-factor authentication.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user_sessions_end_everywhere(user=user, request=request)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[HAD_SECOND_FACTOR] = False
    audit_record(actor=user, action="accounts.two_factor.disabled", obj=user)
