from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communities.models import Area
from coproduction.api.field_rules import RestrictedModelSerializer
from engagement.models import Event
from governance.models import PartnerAgency, Partnership

# What an event's text fields hold at most through the API (the model's own limits).
DESCRIPTION_MAX = 5000


class EventAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "kind", "gss_code"]
        read_only_fields = fields


class EventAgencySerializer(serializers.ModelSerializer):
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

    @extend_schema_field(AttendanceCountsSerializer)
    def get_attendance(self, event: Event) -> dict:
        return AttendanceCountsSerializer(
            {
                "registered": getattr(event, "registered_count", 0),
                "attended": getattr(event, "attended_count", 0),
                "headcount": event.headcount,
                "headcount_reported_at": event.headcount_reported_at,
            }
        ).data


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
        return data


class HeadcountSerializer(serializers.Serializer):
    headcount = serializers.IntegerField(
        min_value=0, max_value=1_000_000, help_text="How many people came (no names)."
    )
