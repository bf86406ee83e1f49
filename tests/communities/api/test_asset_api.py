"""/api/v1/assets/: places and organisations in the agency's areas (never a person's
skill, never the contact person's details for an agency); an agency adds its own."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from communities.models import Asset
from governance.models import AuditEvent
from tests.api.fixtures import api_for
from tests.communities.factories import AssetFactory

pytestmark = pytest.mark.django_db


def new_asset(area, **extra) -> dict:
    return {
        "kind": "place",
        "category": "community_centre",
        "name": "Northfield Fire Station community room",
        "area": area.pk,
        "address": "Station Road, Northfield",
        "latitude": "54.523600",
        "longitude": "-1.559500",
        **extra,
    }


def test_agency_sees_published_places_in_its_areas_without_contact_details(
    police_api, fire_api, ward, other_ward
):
    # given
    ours = AssetFactory(area=ward, contact_name="Sam Keyholder", contact_email="sam@example.org")
    theirs = AssetFactory(area=other_ward)
    suggested = AssetFactory(area=ward)
    Asset.objects.filter(pk=suggested.pk).update(moderation=Asset.Moderation.SUGGESTED)
    # when
    response = police_api.get("/api/v1/assets/")
    # then
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [ours.pk]
    assert "contact_email" not in rows[0]
    assert "sam@example.org" not in response.content.decode()
    assert police_api.get(f"/api/v1/assets/{theirs.pk}/").status_code == 404
    assert fire_api.get(f"/api/v1/assets/{ours.pk}/").status_code == 404


def test_officer_session_sees_the_contact_details(officer, ward):
    # given
    asset = AssetFactory(area=ward, contact_email="sam@example.org")
    api = APIClient()
    api.force_login(officer)
    # when
    body = api.get(f"/api/v1/assets/{asset.pk}/").json()
    # then
    assert body["contact_email"] == "sam@example.org"


def test_agency_adds_a_place(police_api, police_client, ward):
    # when
    response = police_api.post("/api/v1/assets/", new_asset(ward), format="json")
    # then
    assert response.status_code == 201, response.content
    asset = Asset.objects.get(pk=response.json()["id"])
    assert asset.moderation == Asset.Moderation.PUBLISHED
    assert AuditEvent.objects.filter(
        action="communities.asset.create", api_client=police_client.client_id
    ).exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "skill", "category": "digital"}, "kind"),
        ({"category": "vcs_group"}, "category"),
        ({"longitude": None}, "longitude"),
        ({"latitude": "91"}, "latitude"),
        ({"website": "not a url"}, "website"),
    ],
)
def test_bad_assets_are_400(police_api, ward, extra, field):
    # when
    response = police_api.post("/api/v1/assets/", new_asset(ward, **extra), format="json")
    # then
    assert response.status_code == 400
    assert field in response.json() or "detail" in response.json()
    assert not Asset.objects.exists()


def test_a_postcode_not_shaped_like_one_is_refused_as_on_the_site(police_api, ward):
    # when
    response = police_api.post("/api/v1/assets/", new_asset(ward, postcode="hello"), format="json")
    # then
    assert response.status_code == 400
    assert response.json() == {"postcode": ["Enter a full UK postcode, like NF1 2AB."]}
    assert not Asset.objects.exists()


def test_a_postcode_is_kept_in_its_usual_shape(police_api, ward):
    # when
    response = police_api.post(
        "/api/v1/assets/", new_asset(ward, postcode=" nf23ad"), format="json"
    )
    # then
    assert response.status_code == 201, response.content
    assert response.json()["postcode"] == "NF2 3AD"


def test_a_refusal_of_no_one_field_is_one_message_under_detail(police_api, ward):
    # when: a latitude without its longitude
    body = new_asset(ward)
    del body["longitude"]
    response = police_api.post("/api/v1/assets/", body, format="json")
    # then
    assert response.status_code == 400
    assert response.json() == {"detail": "Give both latitude and longitude, or neither."}


def test_agency_cannot_add_an_asset_outside_its_areas(police_api, other_ward):
    # when
    response = police_api.post("/api/v1/assets/", new_asset(other_ward), format="json")
    # then
    assert response.status_code == 400
    assert "area" in response.json()


def test_adding_needs_assets_write(police_client, ward):
    # when
    response = api_for(police_client, scope="assets:read").post(
        "/api/v1/assets/", new_asset(ward), format="json"
    )
    # then
    assert response.status_code == 403


ANY = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from("\x00\x01\n0123456789.-é𝄞"), max_size=40),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "x" * n),
    st.none(),
    st.integers(),
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=ANY, category=ANY, latitude=ANY, postcode=ANY, capacity=ANY, website=ANY)
def test_any_asset_input_is_a_4xx_never_a_500(
    police_api, ward, name, category, latitude, postcode, capacity, website
):
    # when
    body = {
        **new_asset(ward),
        "name": name,
        "category": category,
        "latitude": latitude,
        "postcode": postcode,
        "capacity": capacity,
        "website": website,
    }
    response = police_api.post("/api/v1/assets/", body, format="json")
    # then
    assert response.status_code in {201, 400}, response.content[:300]


@pytest.mark.parametrize("page_size", [1, 10])
def test_asset_list_query_count_is_constant(
    police_api, ward, django_assert_num_queries, page_size
):
    # given
    for _ in range(12):
        AssetFactory(area=ward)
    # when / then
    # token with its application, client and agency; page and total with areas; audit insert
    with django_assert_num_queries(3):
        response = police_api.get(f"/api/v1/assets/?page_size={page_size}")
    assert len(response.json()["results"]) == min(page_size, 12)
