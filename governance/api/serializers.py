from rest_framework import serializers

from communities.models import Area
from coproduction.api.field_rules import RestrictedModelSerializer
from governance.models import PartnerAgency, Partnership


class PartnerAgencySerializer(RestrictedModelSerializer):
    # Often blank, so not a URI the schema could promise.
    website = serializers.CharField(read_only=True, help_text="The agency's website, if known.")

    class Meta:
        model = PartnerAgency
        fields = ["id", "name", "kind", "website"]
        read_only_fields = fields


class PartnershipAreaSerializer(serializers.ModelSerializer):
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
