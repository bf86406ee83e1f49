"""Timing and printing shared by the benchmarks."""

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.test.utils import setup_databases, teardown_databases


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    unit: str = "s"
    # The figure this one is compared with, and the goal it is held to, if any.
    baseline: float | None = None
    goal: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline


def timed(func: Callable[[], object], *, repeat: int = 3) -> float:
    """Median wall-clock seconds of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


@contextmanager
def benchmark_database() -> Iterator[None]:
    """Create the benchmark database with every migration applied, and drop it after."""
    config = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        teardown_databases(config, verbosity=0)


def print_figures(name: str, figures: list[Figure]) -> None:
    print(f"\n== {name}")
    width = max((len(f.label) for f in figures), default=0)
    for figure in figures:
        line = f"  {figure.label:<{width}}  {figure.value:>10.3f} {figure.unit}"
        if figure.ratio is not None:
            line += f"   ratio {figure.ratio:5.2f}x"
        if figure.goal:
            line += f"   goal: {figure.goal}"
        print(line)
