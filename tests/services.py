"""Whether the real services a test needs are here: skipped locally, a failure in CI."""

import os

import pytest
from django.db import connection

REQUIRE_SERVICES = os.environ.get("COPRODUCE_REQUIRE_SERVICES") == "1"


def service_missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (COPRODUCE_REQUIRE_SERVICES=1, so this is a failure)")
    pytest.skip(reason)


def postgresql(reason: str) -> pytest.MarkDecorator:
    """A test that needs PostgreSQL (row locks, triggers): skipped on SQLite, and a
    failure in CI, where the suite must run on PostgreSQL (see `postgresql_check`)."""
    return pytest.mark.postgresql(reason=reason)


def postgresql_check(item: pytest.Item) -> None:
    marker = item.get_closest_marker("postgresql")
    if marker is not None and connection.vendor != "postgresql":
        service_missing(f"needs PostgreSQL: {marker.kwargs['reason']}")
