"""Areas' boundaries move to their own table (communities 0004), and back when reversed."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("communities", "0003_assets_capacity_spend_lsoa_best_fit")]
AFTER = [("communities", "0004_area_boundary_table")]
SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_boundaries_move_to_their_table_and_back(at_latest):
    # given: the schema before the move, one area with a boundary and one without
    apps = migrate(BEFORE)
    Area = apps.get_model("communities", "Area")
    council = Area.objects.create(name="Northfield", kind="council", boundary=SQUARE)
    ward = Area.objects.create(name="Town Centre", kind="ward", parent=council)
    # when
    apps = migrate(AFTER)
    # then: the boundary is in its table, and nothing was made up for the ward
    AreaBoundary = apps.get_model("communities", "AreaBoundary")
    assert dict(AreaBoundary.objects.values_list("area_id", "geometry")) == {council.pk: SQUARE}
    # when: reversed
    apps = migrate(BEFORE)
    # then: back on the area's row
    Area = apps.get_model("communities", "Area")
    assert Area.objects.get(pk=council.pk).boundary == SQUARE
    assert Area.objects.get(pk=ward.pk).boundary is None
