from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse_lazy
from django.views.generic import TemplateView

from . import forms, selectors
from .roles import Role


class HomeView(TemplateView):
    """The landing page for visitors; a dashboard of their roles for those signed in."""

    def get_template_names(self) -> list[str]:
        if self.request.user.is_authenticated:
            return ["accounts/home.html"]
        return ["accounts/landing.html"]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not user.is_authenticated:
            return context
        areas = selectors.area_list_for_user(user=user)
        context["roles"] = user.roles
        context["Role"] = Role
        context["assigned_areas"] = list(selectors.area_list_assigned(user=user))
        context["can_view_area_people"] = user.has_perm("accounts.view_area_people")
        if context["can_view_area_people"]:
            context["role_counts"] = selectors.role_counts_in_areas(areas=areas)
            context["officers"] = list(selectors.officer_list_covering(areas=areas))
        if user.has_role(Role.RESIDENT) or user.has_role(Role.BOARD_MEMBER):
            context["councillors"] = list(selectors.councillor_list_for_user(user=user))
        if user.has_role(Role.PARTNER_AGENCY) and user.partner_agency_id:
            context["agency"] = user.partner_agency
            context["agency_colleagues"] = list(
                user.partner_agency.users.filter(is_active=True).exclude(pk=user.pk)
            )
        return context


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["assigned_areas"] = list(selectors.area_list_assigned(user=self.request.user))
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
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
