"""Benchmarks run against a throwaway database of their own, on the configured engine."""

from coproduction.settings.test import *
from coproduction.settings.test import DATABASES

DATABASES["default"]["TEST"] = {
    **DATABASES["default"].get("TEST", {}),
    "NAME": (
        "coproduce_bench"
        if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
        else DATABASES["default"].get("TEST", {}).get("NAME", "bench.sqlite3")
    ),
}
