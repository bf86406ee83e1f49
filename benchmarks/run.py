"""Run Coproduce's benchmarks and print their figures: `make bench` (or `make bench ONLY=name`).

Each benchmark is a module in this folder with a `run(options) -> list[Figure]` function,
listed in BENCHMARKS. Benchmarks measure; they never assert a time (tests do not either).
They use the database DATABASE_URL names (PostgreSQL for meaningful figures), in a
database of their own that they create and drop, never the application's.
"""

import argparse
import os
import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Module names, in the order they run.
BENCHMARKS: list[str] = [
    "communities",
    "engagement_import",
    "projects",
    "governance",
    "volunteering",
    "inclusion",
    "retention",
    "api_load",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="run only these benchmarks")
    parser.add_argument("--scale", default="county", choices=["small", "county", "national"])
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from benchmarks.harness import print_figures

    chosen = options.names or BENCHMARKS
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    if not chosen:
        print("No benchmarks yet.")
        return 0
    for name in chosen:
        module = import_module(f"benchmarks.{name}")
        print_figures(name, module.run(options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
