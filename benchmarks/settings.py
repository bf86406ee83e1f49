"""Benchmarks run against a throwaway database of their own, on the configured engine:
`<DATABASE_URL's database>_bench` on PostgreSQL, so that benchmarks run from different
checkouts against one server do not collide."""

from coproduction.settings.test import *
from coproduction.settings.test import BASE_DIR, DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    BENCH_NAME = str(BASE_DIR / ".bench.sqlite3")
else:
    BENCH_NAME = f"{DATABASES['default']['NAME']}_bench"

DATABASES["default"]["TEST"] = {**DATABASES["default"].get("TEST", {}), "NAME": BENCH_NAME}
