from django.contrib import admin

from .models import (
    AuditEvent,
    Board,
    Budget,
    PartnerAgency,
    Partnership,
    SeatCategory,
    SignOffDelegation,
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


@admin.register(SignOffDelegation)
class SignOffDelegationAdmin(admin.ModelAdmin):
    """Democratic services record authority delegated to a member here."""

    list_display = ("member", "reason", "starts_on", "ends_on", "max_amount")
    filter_horizontal = ("areas",)
    exclude = ("granted_by",)

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
