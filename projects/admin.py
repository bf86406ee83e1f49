from django import forms
from django.contrib import admin

from .models import Indicator, ServiceArea


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    """The council's list of services projects belong to (reference data)."""

    list_display = ["name", "updated_at"]
    search_fields = ["name"]


class IndicatorAdminForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "project",
            "name",
            "kind",
            "unit",
            "measure",
            "direction",
            "baseline_value",
            "baseline_on",
            "target_value",
            "target_on",
            "source",
            "reported_by",
        ]

    def clean(self):
        cleaned = super().clean()
        project, agency = cleaned.get("project"), cleaned.get("reported_by")
        if project and agency and not project.partner_agencies.filter(pk=agency.pk).exists():
            self.add_error(
                "reported_by",
                f"{agency} is not a partner agency on this project: add it to the project first.",
            )
        return cleaned


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Indicators, chiefly to say which partner agency reports an indicator's figures
    through the partner API (the project page's form does the same)."""

    list_display = ["name", "project", "kind", "reported_by", "updated_at"]
    list_filter = ["kind", "reported_by"]
    list_select_related = ["project", "reported_by"]
    search_fields = ["name", "project__reference", "project__title"]
    raw_id_fields = ["project"]
    autocomplete_fields = ["reported_by"]
    readonly_fields = ["created_at", "updated_at"]
    form = IndicatorAdminForm
