"""Timing and reporting shared by every benchmark: one JSON line per figure on stdout, progress on stderr.

A figure line reads `{"figure": ..., "value": ..., "unit": ..., "entries": ..., "database": ...}`, plus any
context a scenario adds (e.g. the lines already in the ledger). `entries` is what the figure covers: the entries
posted in one timed run for a throughput, or the entries in the ledger for a read.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Reporter:
    out: TextIO
    err: TextIO
    database: str = ""
    figures: dict[str, float] = field(default_factory=dict)

    def figure(self, name: str, value: float, unit: str, entries: int, **context) -> None:
        value = round(value, 3) if isinstance(value, float) else value
        self.figures[name] = value
        line = {"figure": name, "value": value, "unit": unit, "entries": entries, "database": self.database, **context}
        self.out.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.out.flush()

    def info(self, message: str) -> None:
        self.err.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
        self.err.flush()


class Stopwatch:
    """Wall time of a `with` block, in seconds (`elapsed`)."""

    elapsed: float = 0.0

    def __enter__(self) -> Stopwatch:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.elapsed = time.perf_counter() - self._start


def median_rate(runs: int, count: int, run: Callable[[int], float]) -> tuple[float, list[float]]:
    """Median of `runs` rates (count / seconds); `run(i)` does the i-th run and returns its wall time."""
    rates = [count / run(i) for i in range(runs)]
    return statistics.median(rates), rates


def median_ms(samples: list[float]) -> float:
    """Median of durations in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


@contextmanager
def stage(reporter: Reporter, what: str) -> Iterator[Stopwatch]:
    """Announce a stage on stderr and say how long it took."""
    reporter.info(f"{what}…")
    with Stopwatch() as watch:
        yield watch
    reporter.info(f"{what}: done in {watch.elapsed:.1f} s")
