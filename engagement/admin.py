"""The engagement app in the administration site: reference data administrators keep
(problem categories, report states, area teams, training courses, disclaimers), and risk
assessments, shown read-only: they change only through their pages' services, which
keep four eyes, revisions and the audit trail."""

from django.contrib import admin

from .models import (
    AreaTeam,
    Disclaimer,
    IssueCategory,
    ReportState,
    RiskAssessment,
    RiskAssessmentHazard,
    TrainingCourse,
    VolunteerTask,
)
from .volunteering.services import disclaimer_publish


@admin.register(IssueCategory)
class IssueCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "target_days", "is_active", "display_order")
    list_filter = ("is_active",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(ReportState)
class ReportStateAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "is_open", "is_initial", "is_fixed", "is_duplicate")


@admin.register(AreaTeam)
class AreaTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "partner_agency")
    list_select_related = ("partner_agency",)
    filter_horizontal = ("areas", "categories")


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_for_months", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(Disclaimer)
class DisclaimerAdmin(admin.ModelAdmin):
    """A new text is published as a new version; a published one is never edited."""

    list_display = ("version", "title", "in_force_from")
    fields = ("title", "text", "in_force_from")

    def get_readonly_fields(self, request, obj=None):
        return ("version", "title", "text", "in_force_from") if obj else ()

    def get_fields(self, request, obj=None):
        return ("version", *self.fields) if obj else self.fields

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        published = disclaimer_publish(
            actor=request.user,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            in_force_from=form.cleaned_data["in_force_from"],
        )
        obj.pk, obj.version = published.pk, published.version

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(VolunteerTask)
class VolunteerTaskAdmin(admin.ModelAdmin):
    """Shown for reference: officers keep the catalogue on the volunteering pages."""

    list_display = ("name", "is_prohibited", "minimum_age", "is_active")
    list_filter = ("is_prohibited", "is_active")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class HazardInline(admin.TabularInline):
    model = RiskAssessmentHazard
    fields = (
        "hazard",
        "who_might_be_harmed",
        "likelihood_before",
        "severity_before",
        "score_before",
        "controls",
        "likelihood_after",
        "severity_after",
        "score_after",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    """Read-only: an approved assessment never changes, and every change to a draft goes
    through the pages (revisions, four eyes, audit)."""

    list_display = ("reference", "task", "area", "status", "review_on", "approved_by")
    list_filter = ("status", "task")
    inlines = [HazardInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
