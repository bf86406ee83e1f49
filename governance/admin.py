from django import forms
from django.contrib import admin

from coproduction.accounts.roles import Role

from .models import (
    AuditEvent,
    Board,
    Budget,
    PartnerAgency,
    Partnership,
    SeatCategory,
    SignOffDelegation,
    SignOffRequest,
)


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "website")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area")
    list_filter = ("kind",)
    search_fields = ("name",)
    filter_horizontal = ("agencies",)
    autocomplete_fields = ()


class SeatCategoryInline(admin.TabularInline):
    model = SeatCategory
    extra = 0
    fields = ("kind", "seats", "quorum")
    readonly_fields = ("kind", "seats", "quorum")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # Seats are changed on the board's page, which keeps the numbered seats in step.
        return False


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("name", "partnership", "quorum")
    readonly_fields = ("partnership",)
    inlines = [SeatCategoryInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "financial_year", "amount", "area", "holder")
    list_filter = ("kind", "financial_year")
    search_fields = ("name",)


class SignOffDelegationForm(forms.ModelForm):
    class Meta:
        model = SignOffDelegation
        fields = ("member", "areas", "kinds", "max_amount", "starts_on", "ends_on", "reason")

    def clean(self):
        data = super().clean()
        if data.get("member") and data["member"] == getattr(self, "granted_by", None):
            raise forms.ValidationError("Authority is delegated by someone else.")
        if data.get("member") and not data["member"].has_role(Role.ELECTED_MEMBER):
            self.add_error("member", "Only an elected member can be given authority to sign off.")
        unknown = set(data.get("kinds") or []) - set(SignOffRequest.Kind.values)
        if unknown:
            self.add_error("kinds", f"Unknown kinds: {', '.join(sorted(unknown))}.")
        return data


@admin.register(SignOffDelegation)
class SignOffDelegationAdmin(admin.ModelAdmin):
    """Democratic services record authority delegated to a member here."""

    form = SignOffDelegationForm
    list_display = ("member", "reason", "starts_on", "ends_on", "max_amount")
    filter_horizontal = ("areas",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        granted_by = obj.granted_by if obj is not None else request.user

        class BoundForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                self.granted_by = granted_by

        return BoundForm

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the trail is never changed."""

    list_display = ("occurred_at", "action", "actor_id", "object_type", "object_id", "outcome")
    list_filter = ("outcome",)
    search_fields = ("action", "object_type", "object_id")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
