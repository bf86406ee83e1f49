from django.db.models import F, QuerySet

from coproduction.api.callers import api_caller
from coproduction.api.scopes import ScopeMap
from coproduction.api.selectors import (
    partner_agency_list_for_api_caller,
    partnership_list_for_api_caller,
    partnership_list_with_details,
)
from coproduction.api.views import ApiReadOnlyViewSet
from governance.models import Decision, PartnerAgency, Partnership, Priority, PriorityCycle
from governance.selectors import (
    decision_list_published_for_api,
    priority_cycle_list_for_api,
    priority_list_for_api,
)

from .filters import (
    DecisionFilterSet,
    PartnerAgencyFilterSet,
    PartnershipFilterSet,
    PriorityCycleFilterSet,
    PriorityFilterSet,
)
from .serializers import (
    DecisionSerializer,
    PartnerAgencySerializer,
    PartnershipSerializer,
    PriorityCycleSerializer,
    PrioritySerializer,
)


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


class PriorityCycleViewSet(ApiReadOnlyViewSet):
    """Your partnerships' rounds of priority setting: the period, the status (taking
    proposals, voting, board review, decided, closed) and how many priorities it adopts."""

    api_scopes = ScopeMap(read=("priorities:read",))
    queryset = PriorityCycle.objects.none()
    serializer_class = PriorityCycleSerializer
    filterset_class = PriorityCycleFilterSet
    ordering_fields = ["period_start", "title", "updated_at"]
    ordering = ["-period_start", "-id"]

    def get_queryset(self) -> QuerySet[PriorityCycle]:
        partnerships = partnership_list_for_api_caller(caller=api_caller(self.request))
        return priority_cycle_list_for_api(partnerships=partnerships).order_by(
            "-period_start", "-pk"
        )


class PriorityViewSet(ApiReadOnlyViewSet):
    """Priorities of your partnerships' cycles with the forum's rank and score and what
    the board decided; never who proposed them or how anyone voted."""

    api_scopes = ScopeMap(read=("priorities:read",))
    queryset = Priority.objects.none()
    serializer_class = PrioritySerializer
    filterset_class = PriorityFilterSet
    ordering_fields = ["forum_rank", "title", "status", "updated_at"]
    ordering = ["cycle", "forum_rank", "title", "id"]

    def get_queryset(self) -> QuerySet[Priority]:
        partnerships = partnership_list_for_api_caller(caller=api_caller(self.request))
        return priority_list_for_api(partnerships=partnerships).order_by(
            "cycle", F("forum_rank").asc(nulls_last=True), "title", "pk"
        )


class DecisionViewSet(ApiReadOnlyViewSet):
    """Your partnerships' board decisions once the meeting's minutes are published:
    motion, vote totals and outcome (exempt business and individual votes never)."""

    api_scopes = ScopeMap(read=("priorities:read",))
    queryset = Decision.objects.none()
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet
    ordering_fields = ["recorded_at"]
    ordering = ["-recorded_at", "-id"]

    def get_queryset(self) -> QuerySet[Decision]:
        partnerships = partnership_list_for_api_caller(caller=api_caller(self.request))
        return decision_list_published_for_api(partnerships=partnerships).order_by(
            "-recorded_at", "-pk"
        )
