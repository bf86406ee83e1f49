"""The reports resource of the partner API (plugs into the API frame, issue 9)."""

from datetime import date

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coproduction.api.representation import ApiModelSerializer

from ..disclosure import PUBLISHED
from ..models import Report
from ..schema import OPENAPI_RESULTS_FIELD


def _month(value: str) -> date:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise serializers.ValidationError("Give a month as YYYY-MM.") from None


class ReportRequestSerializer(serializers.Serializer):
    """What a partner sends to ask for a report: a scope it may see and whole months."""

    scope = serializers.CharField(
        max_length=40,
        help_text='A partner agency\'s client: "partnership:<id>" or "cycle:<id>" (a '
        "priority cycle) of a partnership the agency belongs to. Council staff signed in "
        'to the site may also give "area:<id>", "project:<id>", "series:<id>" or '
        '"programme", among the scopes they may see.',
    )
    start = serializers.CharField(max_length=7, help_text="First month, YYYY-MM.")
    end = serializers.CharField(max_length=7, help_text="Last month, YYYY-MM.")
    minimum_age = serializers.IntegerField(min_value=0, max_value=100, default=16)

    def validate_start(self, value: str) -> date:
        return _month(value)

    def validate_end(self, value: str) -> date:
        return _month(value)

    def validate(self, data):
        if data["end"] < data["start"]:
            raise serializers.ValidationError({"end": "The last month is before the first."})
        return data


class ReportSerializer(ApiModelSerializer):
    """A report's status and, once finished, its figures for the caller's audience (the
    JSON documented by the report's JSON Schema, /reports/schema.json)."""

    status = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()
    scope_label = serializers.CharField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "scope_key",
            "scope_label",
            "period_start",
            "period_end",
            "minimum_age",
            "status",
            "generated_at",
            "results",
        ]

    def get_status(self, report: Report) -> str:
        if report.is_done:
            return "done"
        return report.job.status if report.job_id else "queued"

    @extend_schema_field(OPENAPI_RESULTS_FIELD)
    def get_results(self, report: Report) -> dict | None:
        if not report.is_done:
            return None
        mode = self.context.get("mode", PUBLISHED)
        return report.figures(mode)
