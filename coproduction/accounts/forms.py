from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from coproduction.forms import GovukFormMixin

from .models import User
from .tasks import password_reset_email_send_task


class LoginForm(GovukFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        # The same words whether the email is unknown or the password wrong.
        "invalid_login": _("Enter a correct email address and password."),
        "inactive": _("Enter a correct email address and password."),
    }


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def get_users(self, email: str):
        # Accounts created by an officer have no password yet: a reset link is how their
        # holder sets the first one.
        return User.objects.filter(email__iexact=email, is_active=True)

    def save(self, *args, **kwargs) -> None:
        # The worker builds and sends each email; the page says the same whether or not
        # the address has an account.
        for user in self.get_users(self.cleaned_data["email"]):
            password_reset_email_send_task.delay_on_commit(user_id=user.pk)


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass


class TwoFactorCodeForm(GovukFormMixin, forms.Form):
    """A six-digit code from an authenticator app (or, when signing in, a backup code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter the code")},
    )

    def __init__(self, *args, backup_codes_allowed: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.backup_codes_allowed = backup_codes_allowed
        if backup_codes_allowed:
            self.fields["code"].help_text = _(
                "The 6-digit code your authenticator app shows now, or one of your backup "
                "codes if you do not have your phone."
            )
            self.fields["code"].widget.attrs.pop("inputmode")
        else:
            self.fields["code"].help_text = _("The 6-digit code your authenticator app shows.")

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if code.isdigit() and len(code) == 6:
            return code
        if self.backup_codes_allowed and len(code) == 8 and code.isalnum():
            return code.lower()
        if self.backup_codes_allowed:
            raise forms.ValidationError(
                _("Enter the 6-digit code from your app, or an 8-character backup code")
            )
        raise forms.ValidationError(_("Enter the 6-digit code from your app"))


class ConfirmForm(GovukFormMixin, forms.Form):
    """A button that confirms an action: no fields."""
