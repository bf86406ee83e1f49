from rest_framework import serializers

from coproduction.api.representation import ApiModelSerializer
from governance.api.serializers import PartnerAgencySerializer, PartnershipAreaSerializer
from governance.models import Partnership


class MePartnershipSerializer(ApiModelSerializer):
    area = PartnershipAreaSerializer(read_only=True)

    class Meta:
        model = Partnership
        fields = ["id", "name", "kind", "area"]
        read_only_fields = fields


class MePersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    """Who the API takes the caller to be, and what it may do."""

    kind = serializers.ChoiceField(
        choices=[("client", "A partner agency's client"), ("person", "A signed-in person")]
    )
    client_id = serializers.CharField(allow_null=True)
    agency = PartnerAgencySerializer(allow_null=True)
    person = MePersonSerializer(allow_null=True)
    scopes = serializers.ListField(child=serializers.CharField())
    token_expires_at = serializers.DateTimeField(allow_null=True)
    partnerships = MePartnershipSerializer(many=True)
