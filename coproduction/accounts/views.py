from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import forms, selectors, services, two_factor

ENROLLING_DEVICE = "accounts.enrolling_device"
NEW_BACKUP_CODES = "accounts.new_backup_codes"


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["assigned_areas"] = list(selectors.area_list_assigned(user=user))
        context["two_factor_enabled"] = two_factor.two_factor_enabled(user)
        context["two_factor_required"] = two_factor.two_factor_required(user)
        context["backup_codes_left"] = two_factor.backup_codes_left(user)
        return context


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Also where someone who has just confirmed their email (a new street champion)
    chooses their first password: the page then says so instead of "new password"."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def first_password(self) -> bool:
        return self.user is not None and not self.user.has_usable_password()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["first_password"] = self.first_password()
        return context

    def form_valid(self, form):
        first = self.first_password()
        response = super().form_valid(form)
        if first:
            response["Location"] = f"{self.success_url}?first=1"
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["first_password"] = self.request.GET.get("first") == "1"
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def _with_query(url: str, request) -> str:
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


def _next_url(request, default: str = "home") -> str:
    """Where to go once done: the `next` the person came with, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """Add an authenticator app: scan the QR code (or type the key), enter a code."""

    template_name = "accounts/two_factor_setup.html"
    form_class = forms.TwoFactorCodeForm

    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not two_factor.session_is_verified(request)
            and two_factor.two_factor_enabled(user)
        ):
            # Someone with only the password must not replace the person's app.
            return redirect(_with_query(reverse("accounts:two_factor_verify"), request))
        return super().dispatch(request, *args, **kwargs)

    def enrolling_device(self) -> TOTPDevice:
        user = self.request.user
        device = TOTPDevice.objects.filter(
            pk=self.request.session.get(ENROLLING_DEVICE), user=user, confirmed=False
        ).first()
        if device is None:
            device = services.two_factor_enrolment_start(user=user)
            self.request.session[ENROLLING_DEVICE] = device.pk
        return device

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        device = self.enrolling_device()
        context["qr_code"] = two_factor.qr_code_svg(device)
        context["secret"] = two_factor.secret_for_display(device)
        context["replacing"] = two_factor.two_factor_enabled(self.request.user)
        context["required"] = two_factor.two_factor_required(self.request.user)
        context["next"] = _next_url(self.request)
        return context

    def form_valid(self, form) -> HttpResponse:
        codes = services.two_factor_enrolment_confirm(
            user=self.request.user,
            device=self.enrolling_device(),
            token=form.cleaned_data["code"],
            request=self.request,
        )
        if codes is None:
            form.add_error(
                "code",
                "The code is not correct: check the app shows Coproduce and enter the code "
                "it shows now",
            )
            return self.form_invalid(form)
        self.request.session.pop(ENROLLING_DEVICE, None)
        self.request.session[NEW_BACKUP_CODES] = codes
        url = reverse("accounts:two_factor_backup_codes")
        return HttpResponseRedirect(f"{url}?{urlencode({'next': _next_url(self.request)})}")


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    """The second step of signing in: a code from the app, or a backup code."""

    template_name = "accounts/two_factor_verify.html"
    form_class = forms.TwoFactorCodeForm

    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            if two_factor.session_is_verified(request):
                return redirect(_next_url(request))
            if not two_factor.two_factor_enabled(request.user):
                return redirect(_with_query(reverse("accounts:two_factor_setup"), request))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "backup_codes_allowed": True}

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "next": _next_url(self.request)}

    def form_valid(self, form) -> HttpResponse:
        user = self.request.user
        wait = services.two_factor_wait_seconds(user=user)
        if wait:
            form.add_error("code", f"Too many wrong codes: wait {wait} seconds, then try again")
            return self.form_invalid(form)
        device = services.two_factor_verify(
            user=user, token=form.cleaned_data["code"], request=self.request
        )
        if device is None:
            form.add_error("code", "The code is not correct: enter the code your app shows now")
            return self.form_invalid(form)
        if device.persistent_id.startswith(StaticDevice.model_label()):
            left = two_factor.backup_codes_left(user)
            messages.warning(
                self.request,
                f"You used a backup code: {left} left. Create new ones from your account page.",
            )
        return redirect(_next_url(self.request))


class TwoFactorBackupCodesView(LoginRequiredMixin, FormView):
    """New backup codes, shown once; the page creates a fresh set on request."""

    template_name = "accounts/two_factor_backup_codes.html"
    form_class = forms.ConfirmForm

    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and not two_factor.two_factor_enabled(request.user):
            return redirect("accounts:two_factor_setup")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["codes"] = self.request.session.pop(NEW_BACKUP_CODES, None)
        context["codes_left"] = two_factor.backup_codes_left(self.request.user)
        context["next"] = _next_url(self.request, default="accounts:account")
        return context

    def form_valid(self, form) -> HttpResponse:
        codes = services.two_factor_backup_codes_replace(user=self.request.user)
        self.request.session[NEW_BACKUP_CODES] = codes
        return redirect("accounts:two_factor_backup_codes")


class TwoFactorDisableView(LoginRequiredMixin, FormView):
    """Turn off two-factor authentication: for residents and partners, who chose it."""

    template_name = "accounts/two_factor_disable.html"
    form_class = forms.ConfirmForm
    success_url = reverse_lazy("accounts:account")

    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            if two_factor.two_factor_required(request.user):
                raise PermissionDenied
            if not two_factor.two_factor_enabled(request.user):
                return redirect("accounts:account")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        services.two_factor_disable(user=self.request.user, request=self.request)
        messages.success(self.request, "Two-factor authentication is off.")
        return super().form_valid(form)


class SignOutEverywhereView(LoginRequiredMixin, View):
    """End every other session of the person (a lost phone, a shared computer)."""

    http_method_names = ["post"]

    def post(self, request) -> HttpResponse:
        services.user_sessions_end_everywhere(user=request.user, request=request)
        messages.success(request, "You are signed out on every other device.")
        return redirect("accounts:account")
