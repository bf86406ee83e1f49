"""Whether the real services a test needs are here: skipped locally, a failure in CI."""

import os

import pytest

REQUIRE_SERVICES = os.environ.get("COPRODUCE_REQUIRE_SERVICES") == "1"


def service_missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (COPRODUCE_REQUIRE_SERVICES=1, so this is a failure)")
    pytest.skip(reason)
