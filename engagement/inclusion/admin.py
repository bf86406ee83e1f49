from django.contrib import admin

from .models import Report, Schedule, Target


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("pk", "scope_key", "period_start", "period_end", "via", "generated_at")
    list_filter = ("scope_kind", "via")
    readonly_fields = ("inputs", "results", "published", "generated_at", "job", "previous")
    raw_id_fields = ("area", "project", "partnership", "priority_cycle", "event_series")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("dimension", "category", "area", "minimum_percent", "maximum_percent")


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ("scope_key", "months", "is_active")
