from rest_framework import serializers

from communities.models import Area
from coproduction.api.field_rules import RestrictedModelSerializer
from coproduction.api.representation import ApiModelSerializer
from governance.models import (
    Decision,
    PartnerAgency,
    Partnership,
    Priority,
    PriorityCycle,
)


class PartnerAgencySerializer(RestrictedModelSerializer):
    # Often blank, so not a URI the schema could promise.
    website = serializers.CharField(read_only=True, help_text="The agency's website, if known.")

    class Meta:
        model = PartnerAgency
        fields = ["id", "name", "kind", "website"]
        read_only_fields = fields


class PartnershipAreaSerializer(ApiModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "kind", "gss_code"]
        read_only_fields = fields


class PartnershipSerializer(RestrictedModelSerializer):
    area = PartnershipAreaSerializer(read_only=True)
    agencies = PartnerAgencySerializer(many=True, read_only=True)

    class Meta:
        model = Partnership
        fields = ["id", "name", "kind", "description", "area", "agencies", "updated_at"]
        read_only_fields = fields


class PriorityCycleSerializer(RestrictedModelSerializer):
    partnership = serializers.PrimaryKeyRelatedField(read_only=True)
    partnership_name = serializers.CharField(source="partnership.name", read_only=True)

    class Meta:
        model = PriorityCycle
        fields = [
            "id",
            "partnership",
            "partnership_name",
            "title",
            "period_start",
            "period_end",
            "status",
            "voting_method",
            "adopt_count",
            "needs_ratification",
            "result_recorded_at",
            "updated_at",
        ]
        read_only_fields = fields


class PrioritySerializer(RestrictedModelSerializer):
    cycle = serializers.PrimaryKeyRelatedField(read_only=True)
    partnership = serializers.IntegerField(source="cycle.partnership_id", read_only=True)
    projects = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Projects taking the priority forward."
    )
    decision = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Priority
        fields = [
            "id",
            "cycle",
            "partnership",
            "title",
            "description",
            "status",
            "forum_rank",
            "forum_score",
            "decision",
            "decided_at",
            "projects",
            "updated_at",
        ]
        read_only_fields = fields


class DecisionSerializer(RestrictedModelSerializer):
    """A board decision as the published minutes record it: the motion, the totals of the
    recorded vote and the outcome; never how any one member voted."""

    partnership = serializers.IntegerField(source="item.meeting.partnership_id", read_only=True)
    meeting_title = serializers.CharField(source="item.meeting.event.title", read_only=True)
    meeting_date = serializers.DateTimeField(source="item.meeting.event.starts_at", read_only=True)
    agenda_item = serializers.CharField(source="item.title", read_only=True)
    priority = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "partnership",
            "meeting_title",
            "meeting_date",
            "agenda_item",
            "motion",
            "votes_for",
            "votes_against",
            "abstentions",
            "outcome",
            "priority",
            "effect",
            "recorded_at",
        ]
        read_only_fields = fields
