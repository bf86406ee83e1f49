from django.contrib import admin

from .models import ServiceArea


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    """The council's list of services projects belong to (reference data)."""

    list_display = ["name", "updated_at"]
    search_fields = ["name"]
