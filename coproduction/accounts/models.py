from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .roles import ROLE_ORDER, Role

# Titles a full name may start with, skipped for the short name.
NAME_TITLES = {
    "cllr",
    "councillor",
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "rev",
    "revd",
    "inspector",
    "insp",
    "sergeant",
    "sgt",
    "pc",
    "constable",
    "sir",
    "dame",
}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        # Emails are matched without regard to case: people type them every which way.
        return self.get(email__iexact=username)

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return (email or "").strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: officers, councillors, board members, partners and residents."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the person may sign in to the administration site."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unselect this instead of deleting the account."),
    )
    areas = models.ManyToManyField(
        "communities.Area",
        blank=True,
        related_name="users",
        help_text=_("The areas this person works in or represents, and everything within them."),
    )
    partner_agency = models.ForeignKey(
        "governance.PartnerAgency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Part of every session's check (see _get_session_auth_hash): raising it signs the
    # person out everywhere, as a new password does.
    session_version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django signs each session with a hash of the password, so a new password ends
        # every other session; the version ends them too when a second factor is reset or
        # the person signs out everywhere.
        return salted_hmac(
            "coproduction.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_version}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """The first name, as in "Welcome, Margaret", past a title the full name starts
        with ("Cllr Margaret Hughes", "Inspector Gareth Lloyd")."""
        words = self.full_name.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in NAME_TITLES:
            words = words[1:]
        return words[0] if words else self.email

    @cached_property
    def roles(self) -> list[Role]:
        """The person's roles, most senior first (one query, then cached)."""
        if not self.is_active:
            return []
        held = set(self.groups.values_list("name", flat=True))
        if self.is_superuser:
            held.add(Role.ADMINISTRATOR)
        return [role for role in ROLE_ORDER if role in held]

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def primary_role(self) -> Role | None:
        return self.roles[0] if self.roles else None
