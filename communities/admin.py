from django.contrib import admin

from .models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "type_label", "gss_code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "gss_code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
