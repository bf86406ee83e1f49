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
