"""The journeys' shared pieces: each journey's duration, printed at the end of the run."""

import time

import pytest

DURATIONS: dict[str, float] = {}


@pytest.fixture(autouse=True)
def journey_timer(request):
    started = time.monotonic()
    yield
    DURATIONS[request.node.name] = time.monotonic() - started


@pytest.fixture(autouse=True)
def no_map_tiles(settings):
    # No internet in tests: maps are drawn without their tiles.
    settings.MAP_TILE_URL = ""


def pytest_terminal_summary(terminalreporter):
    if not DURATIONS:
        return
    terminalreporter.section("journey durations")
    for name, seconds in DURATIONS.items():
        terminalreporter.write_line(f"{name}: {seconds:.1f} s")
