"""Benchmarks run against a throwaway database of their own, on the configured engine."""

from coproduction.settings.test import *
from coproduction.settings.test import DATABASES

DATABASES["default"]["TEST"] = {
    **DATABASES["default"].get("TEST", {}),
    # Named after the configured database, so that benchmarks run from two checkouts
    # against one server never drop each other's.
    "NAME": (
        f"{DATABASES['default']['NAME']}_bench"
        if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
        else DATABASES["default"].get("TEST", {}).get("NAME", "bench.sqlite3")
    ),
}
