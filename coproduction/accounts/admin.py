from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import User

# django-otp's own admin pages would show the secret keys of people's apps: devices are
# managed by their holders, and reset (below) by an administrator.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("full_name", "email")
    list_display = ("email", "full_name", "role_list", "partner_agency", "is_active")
    list_filter = ("groups", "is_active", "is_staff", "partner_agency")
    search_fields = ("email", "full_name")
    filter_horizontal = ("groups", "user_permissions", "areas")
    autocomplete_fields = ("partner_agency",)
    actions = ["reset_two_factor"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name",)}),
        (_("Roles and scope"), {"fields": ("groups", "areas", "partner_agency")}),
        (
            _("Administration"),
            {"fields": ("is_active", "is_staff", "is_superuser", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("partner_agency")
            .prefetch_related("groups")
        )

    @admin.display(description=_("Roles"))
    def role_list(self, obj: User) -> str:
        return ", ".join(sorted(group.name for group in obj.groups.all()))

    @admin.action(description=_("Reset two-factor authentication (lost phone)"))
    def reset_two_factor(self, request, queryset) -> None:
        """The person sets up a new app at their next sign-in; every session of theirs
        ends. Each reset lands in the audit trail with the administrator's name."""
        count = 0
        for user in queryset:
            services.two_factor_reset(user=user, actor=request.user, reason="admin site")
            count += 1
        self.message_user(
            request,
            _("Two-factor authentication reset for %(count)d people.") % {"count": count},
            messages.SUCCESS,
        )
