"""GeoReport v2's records (its field names) and the form FixMyStreet posts.

Only public fields go out: never the reporter's name, email or phone.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from rest_framework import serializers

from engagement.models import IssueCategory, IssueReport

SERVICE_GROUP = "Street problems"
COORDINATE_PLACES = Decimal("0.000001")


def _w3c(value) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


class ServiceSerializer(serializers.BaseSerializer):
    def to_representation(self, instance: IssueCategory) -> dict:
        return {
            "service_code": instance.slug,
            "service_name": instance.name,
            "description": instance.hint or instance.name,
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": SERVICE_GROUP,
        }


class ServiceRequestSerializer(serializers.BaseSerializer):
    def to_representation(self, instance: IssueReport) -> dict:
        updates = list(instance.updates.all())
        notes = [u.note for u in updates if u.note]
        is_open = instance.state.is_open
        return {
            "service_request_id": str(instance.pk),
            "status": "open" if is_open else "closed",
            "status_notes": notes[-1] if notes else "",
            "service_name": instance.category.name,
            "service_code": instance.category.slug,
            "description": instance.description,
            "agency_responsible": "",
            "service_notice": "",
            "requested_datetime": _w3c(instance.created_at),
            "updated_datetime": _w3c(updates[-1].created_at if updates else instance.created_at),
            "expected_datetime": _w3c(instance.due_at) if is_open else None,
            "address": instance.location_description or instance.postcode,
            "address_id": "",
            "zipcode": instance.postcode,
            "lat": float(instance.latitude) if instance.latitude is not None else None,
            "long": float(instance.longitude) if instance.longitude is not None else None,
            # Photos are shown only to the reporter and staff (docs/issue-reports.md).
            "media_url": "",
        }


class ServiceRequestCreateSerializer(serializers.Serializer):
    """The form FixMyStreet posts (application/x-www-form-urlencoded). Other fields
    (`attribute[...]`, `address_id`, `device_id`, `account_id`) are ignored."""

    service_code = serializers.CharField(max_length=60)
    # Text, then a decimal of any precision (rounded to the model's six places).
    lat = serializers.CharField(max_length=30)
    long = serializers.CharField(max_length=30)
    address_string = serializers.CharField(max_length=255, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=75, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=75, required=False, allow_blank=True)
    # Accepted as FixMyStreet sends it, but not kept: the site keeps no phone for reports.
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    description = serializers.CharField(max_length=2000)
    # Not fetched: fetching a caller's URL from the server invites SSRF.
    media_url = serializers.CharField(max_length=2000, required=False, allow_blank=True)

    def validate_service_code(self, value: str) -> IssueCategory:
        category = IssueCategory.objects.filter(slug=value, is_active=True).first()
        if category is None:
            raise serializers.ValidationError(
                "Unknown service_code: GET services.json lists the codes."
            )
        return category

    def validate_lat(self, value: str) -> Decimal:
        return _coordinate(value, limit=90, name="lat")

    def validate_long(self, value: str) -> Decimal:
        return _coordinate(value, limit=180, name="long")


def _coordinate(value: str, *, limit: int, name: str) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) > limit:
        raise serializers.ValidationError(
            f"Give {name} in decimal degrees (WGS84), between -{limit} and {limit}."
        )
    return number.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)
