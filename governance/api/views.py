from django.db.models import QuerySet

from coproduction.api.callers import api_caller
from coproduction.api.scopes import ScopeMap
from coproduction.api.selectors import (
    partner_agency_list_for_api_caller,
    partnership_list_with_details,
)
from coproduction.api.views import ApiReadOnlyViewSet
from governance.models import PartnerAgency, Partnership

from .filters import PartnerAgencyFilterSet, PartnershipFilterSet
from .serializers import PartnerAgencySerializer, PartnershipSerializer


class PartnershipViewSet(ApiReadOnlyViewSet):
    """The partnerships your agency belongs to: Area Action Partnerships, Safer
    Neighbourhood partnerships, Neighbourhood Action Groups..."""

    api_scopes = ScopeMap(read=("partnerships:read",))
    queryset = Partnership.objects.none()
    serializer_class = PartnershipSerializer
    filterset_class = PartnershipFilterSet
    ordering_fields = ["name", "kind", "updated_at"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Partnership]:
        return partnership_list_with_details(caller=api_caller(self.request))


class PartnerAgencyViewSet(ApiReadOnlyViewSet):
    """Your own agency and the agencies you share a partnership with."""

    api_scopes = ScopeMap(read=("partnerships:read",))
    queryset = PartnerAgency.objects.none()
    serializer_class = PartnerAgencySerializer
    filterset_class = PartnerAgencyFilterSet
    ordering_fields = ["name", "kind"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[PartnerAgency]:
        return partner_agency_list_for_api_caller(caller=api_caller(self.request))
