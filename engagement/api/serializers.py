from functools import cached_property

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.models import Area
from coproduction.api.field_rules import RestrictedModelSerializer
from coproduction.api.representation import ApiModelSerializer
from engagement.models import (
    Event,
    IssueCategory,
    IssueReport,
    IssueReportUpdate,
    ReportState,
    VolunteerActivity,
    VolunteerTask,
)
from governance.models import PartnerAgency, Partnership

# What an event's text fields hold at most through the API (the model's own limits).
DESCRIPTION_MAX = 5000


class EventAreaSerializer(ApiModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "kind", "gss_code"]
        read_only_fields = fields


class EventAgencySerializer(ApiModelSerializer):
    class Meta:
        model = PartnerAgency
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class AttendanceCountsSerializer(serializers.Serializer):
    registered = serializers.IntegerField(
        read_only=True, help_text="Places taken (registrations not cancelled)."
    )
    attended = serializers.IntegerField(
        read_only=True, help_text="People recorded by name as having attended."
    )
    headcount = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="How many came, counted by the organiser (no names); null if not reported.",
    )
    headcount_reported_at = serializers.DateTimeField(read_only=True, allow_null=True)


class EventSerializer(RestrictedModelSerializer):
    area = EventAreaSerializer(read_only=True)
    organising_agency = EventAgencySerializer(read_only=True, allow_null=True)
    partnership = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    project = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    attendance = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "area",
            "partnership",
            "project",
            "organising_agency",
            "capacity",
            "registration_open",
            "attendance",
            "updated_at",
        ]
        read_only_fields = fields

    @cached_property
    def _attendance_counts(self) -> AttendanceCountsSerializer:
        # One serializer for every row of a list: building its fields is most of its cost.
        return AttendanceCountsSerializer()

    @extend_schema_field(AttendanceCountsSerializer)
    def get_attendance(self, event: Event) -> dict:
        return self._attendance_counts.to_representation(
            {
                "registered": getattr(event, "registered_count", 0),
                "attended": getattr(event, "attended_count", 0),
                "headcount": event.headcount,
                "headcount_reported_at": event.headcount_reported_at,
            }
        )


class EventCreateSerializer(serializers.Serializer):
    """An event your agency organises, in an area your partnerships cover."""

    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Event.Kind.choices)
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX, required=False, allow_blank=True, default=""
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=255, help_text="Where: a name and address.")
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.none(), help_text="The id of an area your partnerships cover."
    )
    partnership = serializers.PrimaryKeyRelatedField(
        queryset=Partnership.objects.none(),
        required=False,
        allow_null=True,
        help_text="One of your agency's partnerships, if the event is its.",
    )
    capacity = serializers.IntegerField(
        min_value=1, max_value=100_000, required=False, allow_null=True
    )

    def __init__(self, *args, areas=None, partnerships=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas
        if partnerships is not None:
            self.fields["partnership"].queryset = partnerships

    def validate(self, data: dict) -> dict:
        if data["ends_at"] < data["starts_at"]:
            raise serializers.ValidationError({"ends_at": ["The event must end after it starts."]})
        partnership = data.get("partnership")
        if partnership is not None:
            # The partnership's event is in its area: its attendance counts in the
            # partnership's inclusion reports, which compare with that area's residents.
            within = Area.objects.filter(pk=partnership.area_id).with_descendants()
            if not within.filter(pk=data["area"].pk).exists():
                raise serializers.ValidationError(
                    {
                        "area": [
                            f"{data['area'].name} is not in the area of {partnership.name} "
                            f"({partnership.area.name}): choose an area within it, or leave "
                            "out the partnership."
                        ]
                    }
                )
        return data


class HeadcountSerializer(serializers.Serializer):
    headcount = serializers.IntegerField(
        min_value=0, max_value=1_000_000, help_text="How many people came (no names)."
    )


class ReportStateSerializer(ApiModelSerializer):
    class Meta:
        model = ReportState
        fields = ["code", "label", "is_open"]
        read_only_fields = fields


class ReportCategorySerializer(ApiModelSerializer):
    class Meta:
        model = IssueCategory
        fields = ["slug", "name"]
        read_only_fields = fields


class ReportUpdateSerializer(ApiModelSerializer):
    from_state = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    to_state = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IssueReportUpdate
        fields = ["from_state", "to_state", "note", "created_at"]
        read_only_fields = fields


class IssueReportSerializer(RestrictedModelSerializer):
    """A report as the public page shows it: what and where, its state and updates;
    never who reported it."""

    reference = serializers.CharField(read_only=True)
    category = ReportCategorySerializer(read_only=True)
    state = ReportStateSerializer(read_only=True)
    ward = EventAreaSerializer(read_only=True, allow_null=True)
    team = serializers.CharField(source="team.name", read_only=True, allow_null=True, default=None)
    updates = ReportUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = IssueReport
        fields = [
            "id",
            "reference",
            "category",
            "state",
            "description",
            "latitude",
            "longitude",
            "location_description",
            "ward",
            "team",
            "priority",
            "due_at",
            "responded_at",
            "fixed_at",
            "created_at",
            "updates",
        ]
        read_only_fields = fields


class ReportTransitionSerializer(serializers.Serializer):
    state = serializers.CharField(
        max_length=40,
        help_text="The code of the state to move to, e.g. investigating, action_scheduled, fixed.",
    )
    note = serializers.CharField(
        max_length=2000, help_text="The public update: what the reporter is told."
    )

    def validate_state(self, value: str) -> ReportState:
        state = ReportState.objects.filter(code=value, is_duplicate=False).first()
        if state is None:
            raise serializers.ValidationError("No such state: give a state's code.")
        return state


class VolunteerTaskSummarySerializer(ApiModelSerializer):
    class Meta:
        model = VolunteerTask
        fields = ["id", "name", "is_prohibited", "minimum_age"]
        read_only_fields = fields


class VolunteerActivitySerializer(ApiModelSerializer):
    """A volunteer activity: the task, when, where, whether an approved risk assessment in
    date on the day covers it, and how many are rostered. Never who (no lead, no roster,
    no notes) and never the assessment's details."""

    task = VolunteerTaskSummarySerializer(read_only=True)
    area = EventAreaSerializer(read_only=True)
    day = serializers.DateField(read_only=True)
    event = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    organising_agency = serializers.SerializerMethodField()
    assessment_status = serializers.SerializerMethodField(
        help_text="covered: an approved risk assessment in date on the day covers the "
        "activity; not_covered: none does (the council's safety checks refuse rostering)."
    )
    roster_count = serializers.IntegerField(
        read_only=True, help_text="People rostered (not taken off); never who."
    )

    class Meta:
        model = VolunteerActivity
        fields = [
            "id",
            "title",
            "task",
            "day",
            "starts_at",
            "ends_at",
            "site",
            "area",
            "event",
            "organising_agency",
            "status",
            "assessment_status",
            "roster_count",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(EventAgencySerializer(allow_null=True))
    def get_organising_agency(self, activity: VolunteerActivity) -> dict | None:
        agency = activity.event.organising_agency if activity.event_id else None
        return EventAgencySerializer(agency).data if agency is not None else None

    @extend_schema_field(serializers.ChoiceField(choices=["covered", "not_covered"]))
    def get_assessment_status(self, activity: VolunteerActivity) -> str:
        covered = getattr(activity, "covered", False) and not activity.task.is_prohibited
        return "covered" if covered else "not_covered"


class VolunteerActivityScheduleSerializer(serializers.Serializer):
    """A volunteer activity for an event your agency organises, in an area your
    partnerships cover: the same safety checks as the council's own pages."""

    title = serializers.CharField(max_length=200)
    task = serializers.PrimaryKeyRelatedField(
        queryset=VolunteerTask.objects.all(), help_text="The id of a task in the council's list."
    )
    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.none(), help_text="The id of an event your agency organises."
    )
    area = serializers.PrimaryKeyRelatedField(
        queryset=Area.objects.none(), help_text="The id of an area your partnerships cover."
    )
    site = serializers.CharField(max_length=255, help_text="Where: a name and address.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()

    def __init__(self, *args, areas=None, events=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas
        if events is not None:
            self.fields["event"].queryset = events

    def validate(self, data: dict) -> dict:
        if data["ends_at"] < data["starts_at"]:
            raise serializers.ValidationError(
                {"ends_at": ["The activity must end after it starts."]}
            )
        return data


class VolunteerRosterSerializer(serializers.Serializer):
    volunteer = serializers.CharField(
        max_length=60,
        help_text="The volunteer's reference (as on your registers); never an email.",
    )
