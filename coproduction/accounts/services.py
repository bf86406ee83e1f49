import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from communities.models import Area
from governance.models import PartnerAgency

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
