"""What an API caller may see. Every API resource scopes its queryset through these.

A partner agency's client sees the partnerships the agency belongs to
(`Partnership.agencies`), their areas and everything beneath them. A person using the
API from the site sees what they see on its pages: their own areas and everything beneath.
"""

from django.db.models import Prefetch, Q, QuerySet

from communities.models import Area
from coproduction.accounts.selectors import area_list_for_user
from governance.models import PartnerAgency, Partnership

from .callers import ApiCaller
from .models import ApiClient


def area_list_of_agency_partnerships(*, agency: PartnerAgency | int) -> QuerySet[Area]:
    """The areas the agency's partnerships cover (the agency or its id)."""
    return Area.objects.filter(partnerships__agencies=agency)


def area_list_for_agency(*, agency: PartnerAgency) -> QuerySet[Area]:
    """The areas of the agency's partnerships and every area beneath them."""
    return area_list_of_agency_partnerships(agency=agency).with_descendants()


def area_list_for_api_caller(*, caller: ApiCaller) -> QuerySet[Area]:
    """The areas an API caller may see: the one scoping selector every resource uses."""
    if caller.is_client:
        return area_list_for_agency(agency=caller.client.agency)
    if not caller.is_authenticated:
        return Area.objects.none()
    return area_list_for_user(user=caller.user)


def partnership_list_for_api_caller(*, caller: ApiCaller) -> QuerySet[Partnership]:
    """Partnerships the caller's agency belongs to; for a person, the partnerships of
    their areas (and their own agency's, for a partner agency's member of staff)."""
    if caller.is_client:
        return Partnership.objects.filter(agencies=caller.client.agency)
    if not caller.is_authenticated:
        return Partnership.objects.none()
    condition = Q(area__in=area_list_for_user(user=caller.user).values("pk"))
    if caller.agency is not None:
        condition |= Q(agencies=caller.agency)
    return Partnership.objects.filter(condition).distinct()


def partnership_list_with_details(*, caller: ApiCaller) -> QuerySet[Partnership]:
    """Partnerships with their area and agencies loaded, for the API's lists."""
    return (
        partnership_list_for_api_caller(caller=caller)
        .select_related("area")
        .prefetch_related(Prefetch("agencies", queryset=PartnerAgency.objects.order_by("name")))
        .order_by("name", "pk")
    )


def partner_agency_list_for_api_caller(*, caller: ApiCaller) -> QuerySet[PartnerAgency]:
    """The agencies the caller works beside: its own and those sharing a partnership."""
    partnerships = partnership_list_for_api_caller(caller=caller)
    condition = Q(partnerships__in=partnerships.values("pk"))
    if caller.agency is not None:
        condition |= Q(pk=caller.agency.pk)
    return PartnerAgency.objects.filter(condition).distinct().order_by("name", "pk")


def api_client_list() -> QuerySet[ApiClient]:
    """Every client, active first, with its agency and live token count."""
    return (
        ApiClient.objects.select_related("application", "agency", "created_by", "revoked_by")
        .with_token_count()
        .order_by("revoked_at", "agency__name", "-created_at")
    )


def api_client_get(*, pk: int) -> ApiClient | None:
    return api_client_list().filter(pk=pk).first()


def partner_agency_list_without_client() -> QuerySet[PartnerAgency]:
    """Agencies that have no active client, so may be given one."""
    return PartnerAgency.objects.exclude(
        pk__in=ApiClient.objects.active().values("agency")
    ).order_by("name")
