from django.contrib import admin

from .models import ApiClient


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Read-only: clients are added, changed and revoked on the API clients pages, which
    show the secret once and keep the audit trail."""

    list_display = ["agency", "client_id", "created_at", "revoked_at"]
    list_select_related = ["agency", "application"]
    search_fields = ["agency__name", "application__client_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
