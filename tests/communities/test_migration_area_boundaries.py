"""Areas' boundaries move to their own table (communities 0004-0006), and back when
reversed."""

from importlib import import_module

import pytest

from tests.migrating import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("communities", "0003_assets_capacity_spend_lsoa_best_fit")]
MOVED = [("communities", "0005_area_boundaries_move")]
AFTER = [("communities", "0006_remove_area_boundary")]
SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}


def test_boundaries_move_to_their_table_and_back(at_latest):
    # given: the schema before the move, one area with a boundary and one without
    apps = migrate(BEFORE)
    Area = apps.get_model("communities", "Area")
    council = Area.objects.create(name="Northfield", kind="council", boundary=SQUARE)
    ward = Area.objects.create(name="Town Centre", kind="ward", parent=council)
    # when: moved, and the move run a second time
    apps = migrate(MOVED)
    import_module("communities.migrations.0005_area_boundaries_move").boundaries_out(apps, None)
    # then: the boundary is in its table once, and nothing was made up for the ward
    AreaBoundary = apps.get_model("communities", "AreaBoundary")
    assert list(AreaBoundary.objects.values_list("area_id", "geometry")) == [(council.pk, SQUARE)]
    # when: the area's column goes
    apps = migrate(AFTER)
    # then: the boundary stays
    AreaBoundary = apps.get_model("communities", "AreaBoundary")
    assert dict(AreaBoundary.objects.values_list("area_id", "geometry")) == {council.pk: SQUARE}
    # when: reversed
    apps = migrate(BEFORE)
    # then: back on the area's row
    Area = apps.get_model("communities", "Area")
    assert Area.objects.get(pk=council.pk).boundary == SQUARE
    assert Area.objects.get(pk=ward.pk).boundary is None
