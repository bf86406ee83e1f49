from django.contrib import admin

from .models import Area, AreaBoundary, Asset, CensusTable, CommunityOfInterest, SpendRecord


class AreaBoundaryInline(admin.StackedInline):
    model = AreaBoundary
    extra = 0
    max_num = 1


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "type_label", "gss_code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "gss_code")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    inlines = [AreaBoundaryInline]


@admin.register(CommunityOfInterest)
class CommunityOfInterestAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    filter_horizontal = ("areas",)


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "category", "area", "status", "moderation", "archived_at")
    list_filter = ("kind", "status", "moderation")
    search_fields = ("name",)
    list_select_related = ("area",)
    # Changes go through the register's pages, which audit them and check consent.
    readonly_fields = [field.name for field in Asset._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(CensusTable)
class CensusTableAdmin(admin.ModelAdmin):
    list_display = ("area", "table", "total", "source", "imported_at")
    list_filter = ("table",)
    search_fields = ("area__name", "area__gss_code")
    list_select_related = ("area",)
    readonly_fields = [field.name for field in CensusTable._meta.fields]


@admin.register(SpendRecord)
class SpendRecordAdmin(admin.ModelAdmin):
    list_display = ("area", "service", "agency", "financial_year", "amount")
    list_filter = ("financial_year",)
    search_fields = ("area__name", "service", "agency")
    list_select_related = ("area",)
