"""Run one piece of work in several forked processes at once, each on its own database connection."""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections

START_TIMEOUT_S = 120
RESULT_POLL_S = 1.0


@dataclass(frozen=True)
class ChildResult:
    index: int
    value: Any = None
    failure: str = ""  # what stopped the child before its work could report, if anything


def run_in_processes(processes: int, work: Callable[..., Any], *args) -> tuple[float, list[ChildResult]]:
    """Fork `processes` children that each run `work(index, *args)`; they connect first and then start together.

    Returns the wall time from the common start to the last child's result, and the results in child order. The
    parent closes its connections before forking, so no child inherits (and corrupts) a shared socket.
    """
    ctx = multiprocessing.get_context("fork")
    connections.close_all()
    ready = ctx.Barrier(processes + 1)
    results = ctx.Queue()
    children = [ctx.Process(target=_child, args=(i, work, args, ready, results), daemon=True)
                for i in range(processes)]
    for child in children:
        child.start()
    ready.wait(timeout=START_TIMEOUT_S)
    start = time.perf_counter()
    collected = _collect(children, results)
    elapsed = time.perf_counter() - start
    for child in children:
        child.join()
    return elapsed, sorted(collected, key=lambda r: r.index)


def _collect(children, results) -> list[ChildResult]:
    collected: list[ChildResult] = []
    while len(collected) < len(children):
        try:
            collected.append(results.get(timeout=RESULT_POLL_S))
        except queue.Empty:
            reported = {r.index for r in collected}
            for index, child in enumerate(children):
                if index not in reported and not child.is_alive() and results.empty():
                    collected.append(ChildResult(index, failure=f"child exited with code {child.exitcode}"))
    return collected


def _child(index: int, work: Callable[..., Any], args: tuple, ready, results) -> None:
    failure, value = "", None
    try:
        connection.ensure_connection()
    except Exception as exc:  # reported to the parent, which decides what a failed child means
        failure = f"could not connect: {exc!r}"
    ready.wait(timeout=START_TIMEOUT_S)
    if not failure:
        try:
            value = work(index, *args)
        except Exception as exc:
            failure = repr(exc)
    connections.close_all()
    results.put(ChildResult(index, value, failure))
