"""Pages of a list: the page and the list's total come from one query (COUNT(*) OVER ()),
and every edge a page number has behaves as Django's paginator would."""

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger

from communities.models import Area
from coproduction.api.pagination import WindowCountPaginator
from tests.communities.factories import WardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(aap):
    return [WardFactory(name=f"Ward {n:02d}", parent=aap) for n in range(7)]


def paginator(queryset=None, per_page=3):
    return WindowCountPaginator(queryset or Area.objects.wards().order_by("name"), per_page)


def test_a_page_and_the_total_in_one_query(wards, django_assert_num_queries):
    pages = paginator()
    with django_assert_num_queries(1):
        page = pages.page(2)
        assert [area.name for area in page] == ["Ward 03", "Ward 04", "Ward 05"]
        assert (pages.count, pages.num_pages) == (7, 3)
        assert page.has_next()
        assert page.has_previous()


def test_the_last_page_holds_the_rest(wards):
    page = paginator().page(3)
    assert [area.name for area in page] == ["Ward 06"]
    assert not page.has_next()
    assert page.start_index() == 7


def test_an_empty_list_has_an_empty_first_page(db, django_assert_num_queries):
    pages = paginator(Area.objects.none() | Area.objects.filter(name="nowhere"))
    with django_assert_num_queries(1):
        page = pages.page(1)
    assert list(page) == []
    assert pages.count == 0


@pytest.mark.parametrize("number", [4, 99, 356417262893977042944])
def test_a_page_past_the_end_is_empty_page(wards, number):
    with pytest.raises(EmptyPage):
        paginator().page(number)


@pytest.mark.parametrize("number", [0, -1, "0"])
def test_a_page_below_one_is_empty_page(wards, number):
    with pytest.raises(EmptyPage):
        paginator().page(number)


@pytest.mark.parametrize("number", ["", "two", "1.5", None, 1.5])
def test_a_page_that_is_not_a_whole_number_is_refused(wards, number):
    with pytest.raises(PageNotAnInteger):
        paginator().page(number)


def test_a_distinct_list_is_counted_on_its_own_and_gets_the_same_page(wards):
    distinct = Area.objects.wards().order_by("name").distinct()
    counted = paginator(distinct)
    page = counted.page(1)
    assert counted.count == 7
    assert [a.pk for a in page] == [a.pk for a in paginator().page(1)]


def test_the_api_answers_a_page_past_the_end_with_404_and_the_total_otherwise(police_api, wards):
    response = police_api.get("/api/v1/areas/?kind=ward&page_size=3&page=3")
    assert response.status_code == 200
    assert response.json()["count"] == 7
    assert response.json()["next"] is None
    assert police_api.get("/api/v1/areas/?kind=ward&page_size=3&page=4").status_code == 404
    last = police_api.get("/api/v1/areas/?kind=ward&page_size=3&page=last")
    assert [row["name"] for row in last.json()["results"]] == ["Ward 06"]


def test_a_list_of_values_is_counted_on_its_own(wards):
    values = Area.objects.wards().order_by("name").values("name")
    counted = paginator(values)
    assert [row["name"] for row in counted.page(3)] == ["Ward 06"]
    assert counted.count == 7


def test_the_api_answers_a_page_beyond_any_offset_with_404(police_api, wards):
    response = police_api.get("/api/v1/areas/?page=356417262893977042944")
    assert response.status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "٣", ""])
def test_the_api_answers_a_page_that_is_not_a_whole_number_from_1_with_400(
    police_api, wards, page
):
    response = police_api.get("/api/v1/areas/", {"page": page})
    assert response.status_code == 400
    assert response.json() == {"page": ["Give a whole page number, from 1, or last."]}


def test_a_page_of_more_digits_than_int_reads_is_past_the_end(police_api, wards):
    """int() refuses over 4,300 digits: such a page is still just past the last one."""
    response = police_api.get("/api/v1/areas/", {"page": "9" * 5000})
    assert response.status_code == 404


@pytest.mark.parametrize("page_size", ["9" * 5000, "0" * 10 + "300"])
def test_a_page_size_of_many_digits_gives_the_largest_page(police_api, wards, page_size):
    response = police_api.get("/api/v1/areas/", {"kind": "ward", "page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 7


@pytest.mark.parametrize("page_size", ["0", "000", "²", "-5", "5.0"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_a_400(police_api, wards, page_size):
    response = police_api.get("/api/v1/areas/", {"page_size": page_size})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["Give a whole number of results per page, from 1."]}
