"""GET /api/v1/areas/: the areas an agency's partnerships cover, and what lies beneath."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.api.factories import ApiClientFactory, PartnershipFactory
from tests.api.fixtures import api_for
from tests.communities.factories import AreaBoundaryFactory, WardFactory

pytestmark = pytest.mark.django_db


def test_agency_sees_its_partnerships_areas_and_everything_beneath(police_api, aap, ward):
    # given
    lsoa = WardFactory(name="Town Centre 001A", kind="lsoa", parent=ward, gss_code="E01099001")
    # when
    response = police_api.get("/api/v1/areas/")
    # then
    assert response.status_code == 200
    names = [row["name"] for row in response.json()["results"]]
    assert names == sorted([aap.name, ward.name, lsoa.name])


def test_agency_never_sees_another_agencys_areas(police_api, fire_api, aap, other_ward):
    # when
    police = {row["id"] for row in police_api.get("/api/v1/areas/").json()["results"]}
    fire = {row["id"] for row in fire_api.get("/api/v1/areas/").json()["results"]}
    # then
    assert other_ward.pk not in police
    assert aap.pk not in fire
    assert police_api.get(f"/api/v1/areas/{other_ward.pk}/").status_code == 404
    assert fire_api.get(f"/api/v1/areas/{aap.pk}/").status_code == 404


def test_agency_without_partnerships_sees_nothing(aap):
    # given
    api = api_for(ApiClientFactory())
    # when
    response = api.get("/api/v1/areas/")
    # then
    assert response.json()["count"] == 0


def test_agency_in_two_partnerships_sees_both_without_repeats(police, police_api, aap, other_ward):
    # given
    PartnershipFactory(name="Rivermouth safety", area=other_ward.parent, agencies=[police])
    PartnershipFactory(name="Central safety", area=aap, agencies=[police])
    # when
    ids = [row["id"] for row in police_api.get("/api/v1/areas/").json()["results"]]
    # then
    assert len(ids) == len(set(ids))
    assert {aap.pk, other_ward.pk, other_ward.parent_id} <= set(ids)


def test_area_detail_has_the_tree_and_the_boundary(police_api, aap, ward):
    # given
    AreaBoundaryFactory(area=ward)
    # when
    body = police_api.get(f"/api/v1/areas/{ward.pk}/").json()
    aap_body = police_api.get(f"/api/v1/areas/{aap.pk}/").json()
    # then: the ward's boundary; the AAP has none
    assert body["parent"] == aap.pk
    assert body["gss_code"] == ward.gss_code
    assert body["kind"] == "ward"
    assert body["boundary"]["type"] == "Polygon"
    assert aap_body["boundary"] is None


def test_area_list_never_loads_boundaries(police_api, aap, ward):
    # given: a ward with a large boundary
    ring = [[i / 1000, (i % 7) / 1000] for i in range(2000)]
    AreaBoundaryFactory(area=ward, geometry={"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    # when
    with CaptureQueriesContext(connection) as queries:
        body = police_api.get("/api/v1/areas/").json()
    # then: listed without its boundary, which no query read
    assert ward.pk in [row["id"] for row in body["results"]]
    assert all("boundary" not in row for row in body["results"])
    # (neither a column of the area's own nor a join to the boundaries' table)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"boundary"' not in sql
    assert '"geometry"' not in sql


def test_area_detail_reads_its_boundary_in_the_same_query(
    police_api, ward, django_assert_num_queries
):
    # given
    AreaBoundaryFactory(area=ward)
    police_api.get("/api/v1/me/")  # the token's first use
    # when / then: the token, the area with its parent and boundary, the audit event
    with django_assert_num_queries(3) as queries:
        body = police_api.get(f"/api/v1/areas/{ward.pk}/").json()
    assert body["boundary"]["type"] == "Polygon"
    area_query = queries.captured_queries[1]["sql"]
    assert '"geometry"' in area_query


def test_officer_session_sees_their_areas(officer, aap, ward, other_ward):
    # given
    api = APIClient()
    api.force_login(officer)
    # when
    ids = {row["id"] for row in api.get("/api/v1/areas/").json()["results"]}
    # then
    assert ids == {aap.pk, ward.pk}


@pytest.mark.parametrize("page_size", [1, 5, 200])
def test_area_list_query_count_is_constant(police_api, aap, django_assert_num_queries, page_size):
    # given
    for n in range(12):
        WardFactory(name=f"Ward {n}", parent=aap)
    # when / then
    # token with its application, client and agency; page and total of areas with parents;
    # audit insert
    with django_assert_num_queries(3):
        response = police_api.get(f"/api/v1/areas/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 13)


def test_page_size_is_capped_at_200(police_api, aap):
    # given
    for n in range(205):
        WardFactory(name=f"Ward {n:03d}", parent=aap)
    # when
    body = police_api.get("/api/v1/areas/?page_size=1000").json()
    # then
    assert len(body["results"]) == 200
    assert body["next"]


def test_page_beyond_the_last_is_404_with_detail(police_api, aap):
    # when
    response = police_api.get("/api/v1/areas/?page=99")
    # then
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}
