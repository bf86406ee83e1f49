"""coproduction.api.filters.ApiFilterSet: a list called with no filter's parameter is the
list its form would have given, without the form."""

import django_filters
import pytest
from django.http import QueryDict

from coproduction.api.filters import ApiFilterSet
from tests.api.routes import api_routes

pytestmark = pytest.mark.django_db


def filtersets() -> list[type[ApiFilterSet]]:
    found = {
        view.filterset_class
        for _name, view, _actions in api_routes()
        if getattr(view, "filterset_class", None) is not None
    }
    return sorted(found, key=lambda cls: cls.__qualname__)


@pytest.mark.parametrize("filterset_class", filtersets(), ids=lambda cls: cls.__qualname__)
@pytest.mark.parametrize("query", ["", "page=2&page_size=10", "ordering=-updated_at&page=1"])
def test_no_filter_parameter_filters_nothing_and_builds_no_form(
    filterset_class, query, monkeypatch
):
    # given
    queryset = filterset_class._meta.model.objects.all()
    data = QueryDict(query)
    # when
    quick = filterset_class(data=data, queryset=queryset)
    valid = quick.is_valid()
    quick_sql = str(quick.qs.query)
    monkeypatch.setattr(ApiFilterSet, "filters_given", lambda self: True)
    built = filterset_class(data=data, queryset=queryset)
    # then
    assert valid
    assert built.is_valid()
    assert quick_sql == str(built.qs.query)
    assert "_form" not in vars(quick)


def test_a_filter_parameter_is_still_read(police_api, aap, ward):
    # when
    empty = police_api.get("/api/v1/areas/?kind=&page=1")
    wards = police_api.get("/api/v1/areas/?kind=ward&page_size=10")
    # then
    assert empty.status_code == 400
    assert "kind" in empty.json()
    assert [row["id"] for row in wards.json()["results"]] == [ward.pk]


def test_ordering_a_list_in_a_fixed_order_says_so(police_api):
    # when: the inclusion reports come newest first, with no field to order by
    response = police_api.get("/api/v1/reports/?ordering=period_start")
    # then
    assert response.status_code == 400
    assert response.json() == {
        "ordering": ["This list comes in a fixed order: leave ordering out."]
    }


def test_the_list_parameters_are_no_filters_name():
    # given
    names = {
        name
        for cls in filtersets()
        for name, filter_ in cls.base_filters.items()
        if isinstance(filter_, django_filters.Filter)
    }
    # then
    assert not names & ApiFilterSet.LIST_PARAMETERS
