"""Filtering and ordering areas: by kind, parent and GSS code; explicit fields only."""

import pytest

from tests.communities.factories import WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(aap):
    return [
        WardFactory(name="Abbey Fields", parent=aap, gss_code="E05099002"),
        WardFactory(name="Station Road", parent=aap, gss_code="E05099003"),
    ]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_filter_by_kind(police_api, aap, ward, wards):
    assert set(ids(police_api.get("/api/v1/areas/?kind=area"))) == {aap.pk}


def test_filter_by_parent(police_api, aap, ward, wards):
    assert set(ids(police_api.get(f"/api/v1/areas/?parent={aap.pk}"))) == {
        ward.pk,
        *(w.pk for w in wards),
    }


def test_filter_by_code_ignores_case(police_api, wards):
    assert ids(police_api.get("/api/v1/areas/?code=e05099003")) == [wards[1].pk]


def test_filter_by_name(police_api, wards):
    assert ids(police_api.get("/api/v1/areas/?name=abbey")) == [wards[0].pk]


def test_ordering_by_an_explicit_field(police_api, wards, ward):
    # when
    rows = police_api.get("/api/v1/areas/?kind=ward&ordering=-gss_code").json()["results"]
    # then
    codes = [row["gss_code"] for row in rows]
    assert codes == sorted(codes, reverse=True)


@pytest.mark.parametrize("ordering", ["boundary", "name,", "-", "name,secret"])
def test_ordering_by_another_field_is_400_listing_the_fields(police_api, ordering):
    # when
    response = police_api.get("/api/v1/areas/", {"ordering": ordering})
    # then
    assert response.status_code == 400
    assert "gss_code" in response.json()["ordering"][0]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=galaxy", "kind"),
        ("kind=", "kind"),
        ("parent=abc", "parent"),
        ("parent=", "parent"),
        ("parent=1.5", "parent"),
        ("parent=3.4e38", "parent"),
        ("parent=9223372036854775808", "parent"),
        ("page_size=0", "page_size"),
        ("page_size=abc", "page_size"),
    ],
)
def test_bad_filter_values_are_400_by_field(police_api, query, field):
    # when
    response = police_api.get(f"/api/v1/areas/?{query}")
    # then
    assert response.status_code == 400
    assert field in response.json()


def test_nul_bytes_in_a_text_filter_are_dropped(police_api, wards):
    # when
    response = police_api.get("/api/v1/areas/", {"name": "ab\x00bey"})
    # then
    assert ids(response) == [wards[0].pk]


@pytest.mark.parametrize("parent", ["0", "-1", str(2**63 - 1)])
def test_an_id_no_record_could_have_matches_nothing(police_api, wards, parent):
    assert ids(police_api.get("/api/v1/areas/", {"parent": parent})) == []


def test_an_empty_page_is_400_naming_it(police_api):
    response = police_api.get("/api/v1/areas/?page=")
    assert response.status_code == 400
    assert set(response.json()) == {"page"}
