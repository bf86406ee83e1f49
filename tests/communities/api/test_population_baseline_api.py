"""GET /api/v1/population-baselines/: census counts as published, for visible areas."""

import pytest

from tests.api.factories import CensusTableFactory, PopulationBaselineFactory

pytestmark = pytest.mark.django_db


def test_baselines_of_visible_areas_only(police_api, baseline, other_ward):
    # given
    hidden = PopulationBaselineFactory(table=CensusTableFactory(area=other_ward))
    # when
    rows = police_api.get("/api/v1/population-baselines/").json()["results"]
    # then
    assert [row["id"] for row in rows] == [baseline.pk]
    assert police_api.get(f"/api/v1/population-baselines/{hidden.pk}/").status_code == 404


def test_baseline_has_the_table_and_its_own_total(police_api, baseline, aap):
    # when
    body = police_api.get(f"/api/v1/population-baselines/{baseline.pk}/").json()
    # then
    assert body == {
        "id": baseline.pk,
        "area": aap.pk,
        "area_code": aap.gss_code,
        "table": "TS021",
        "census_year": 2021,
        "dimension": "ethnic_group",
        "category": "asian_bangladeshi",
        "count": 240,
        "table_total": 10_000,
    }


def test_filter_by_area_dimension_and_category(police_api, baseline, aap, ward):
    # given
    PopulationBaselineFactory(table=CensusTableFactory(area=ward), category="white_english")
    # when
    by_area = police_api.get(f"/api/v1/population-baselines/?area={aap.pk}").json()
    by_category = police_api.get("/api/v1/population-baselines/?category=white_english").json()
    by_table = police_api.get("/api/v1/population-baselines/?table=ts021&census_year=2021").json()
    # then
    assert [row["id"] for row in by_area["results"]] == [baseline.pk]
    assert by_category["count"] == 1
    assert by_table["count"] == 2


@pytest.mark.parametrize("page_size", [1, 50])
def test_baseline_list_query_count_is_constant(
    police_api, aap, django_assert_num_queries, page_size
):
    # given
    table = CensusTableFactory(area=aap)
    PopulationBaselineFactory.create_batch(8, table=table)
    # when / then
    # token with application, client, agency; page and total with areas and tables; audit
    with django_assert_num_queries(3):
        police_api.get(f"/api/v1/population-baselines/?page_size={page_size}")


def test_text_filters_take_any_length(police_api, baseline):
    # when
    response = police_api.get("/api/v1/population-baselines/", {"dimension": "x" * 500})
    # then
    assert response.status_code == 200
    assert response.json()["count"] == 0
