"""GET /api/v1/partnerships/ and /api/v1/partner-agencies/: an agency's own."""

import pytest
from rest_framework.test import APIClient

from tests.api.factories import PartnershipFactory
from tests.governance.factories import PartnerAgencyFactory

pytestmark = pytest.mark.django_db


def test_agency_sees_only_the_partnerships_it_belongs_to(
    police_api, partnership, other_partnership
):
    # when
    rows = police_api.get("/api/v1/partnerships/").json()["results"]
    # then
    assert [row["id"] for row in rows] == [partnership.pk]
    assert police_api.get(f"/api/v1/partnerships/{other_partnership.pk}/").status_code == 404


def test_partnership_shows_its_area_and_agencies(police_api, partnership, police, aap):
    # when
    body = police_api.get(f"/api/v1/partnerships/{partnership.pk}/").json()
    # then
    assert body["area"] == {"id": aap.pk, "name": aap.name, "kind": "area", "gss_code": ""}
    assert police.name in [agency["name"] for agency in body["agencies"]]


def test_partner_agencies_are_own_and_fellow_partners(police_api, police, partnership, fire):
    # when
    names = [row["name"] for row in police_api.get("/api/v1/partner-agencies/").json()["results"]]
    # then
    assert police.name in names
    assert fire.name not in names


def test_filter_partnerships_by_kind_and_agency(police_api, police, partnership, aap):
    # given
    PartnershipFactory(
        name="Central safety", kind="safer_neighbourhood", area=aap, agencies=[police]
    )
    # when
    by_kind = police_api.get("/api/v1/partnerships/?kind=safer_neighbourhood").json()
    by_agency = police_api.get(f"/api/v1/partnerships/?agency={police.pk}").json()
    # then
    assert [row["name"] for row in by_kind["results"]] == ["Central safety"]
    assert by_agency["count"] == 2


def test_officer_session_sees_the_partnerships_of_their_areas(
    officer, partnership, other_partnership
):
    # given
    api = APIClient()
    api.force_login(officer)
    # when
    rows = api.get("/api/v1/partnerships/").json()["results"]
    # then
    assert [row["id"] for row in rows] == [partnership.pk]


@pytest.mark.parametrize("page_size", [1, 20])
def test_partnership_list_query_count_is_constant(
    police_api, police, aap, django_assert_num_queries, page_size
):
    # given
    for n in range(6):
        PartnershipFactory(
            name=f"P{n}", area=aap, agencies=[police, PartnerAgencyFactory(name=f"A{n}")]
        )
    # when / then
    # token with application, client, agency; page and total with areas; agencies; audit
    with django_assert_num_queries(4):
        police_api.get(f"/api/v1/partnerships/?page_size={page_size}")


@pytest.mark.parametrize("page_size", [1, 20])
def test_partner_agency_list_query_count_is_constant(
    police_api, police, aap, django_assert_num_queries, page_size
):
    # given
    PartnershipFactory(
        name="Big", area=aap, agencies=[police, *PartnerAgencyFactory.create_batch(6)]
    )
    # when / then
    # token with application, client, agency; count (DISTINCT); page; audit
    with django_assert_num_queries(4):
        police_api.get(f"/api/v1/partner-agencies/?page_size={page_size}")
