"""Tests of data migrations: move the schema to a point in its history, then back.

`migrate(targets)` migrates the test database to the given (app, migration) nodes and
returns the historical apps there; the `at_latest` fixture puts every app back at its
latest migration afterwards, whatever the test did."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


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
