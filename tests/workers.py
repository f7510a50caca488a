"""Real Celery workers for the tests that need one: a queue of the test's own (xdist workers must not eat each
other's tasks), the app pointed at it, and `celery worker` in its own process on the test database (PostgreSQL
only: another process cannot see an in-memory SQLite test database)."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def own_queue(prefix: str) -> str:
    return f"{prefix}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"


@contextmanager
def sending_to_own_queue(prefix: str):
    """The Celery app, sending for real (not eagerly) to a queue of this test's own; restored afterwards."""
    from config.celery import app

    before = app.conf.task_default_queue, app.conf.task_always_eager
    app.conf.task_default_queue, app.conf.task_always_eager = own_queue(prefix), False
    try:
        yield app
    finally:
        app.conf.task_default_queue, app.conf.task_always_eager = before


def worker_process(queue: str, name: str) -> subprocess.Popen:
    """`celery worker` in its own process on the test database (the test's connection names it)."""
    url = urlsplit(os.environ["DATABASE_URL"])
    test_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env = {**os.environ, "DATABASE_URL": test_url, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "CONN_MAX_AGE": "0"}
    return subprocess.Popen(  # noqa: S603 - our own interpreter and project
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-Q", queue, "-n", f"{name}@%h",
         "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def result_of(async_result, timeout: float):
    """Wait for a task's result from the test. (A worker started in this process, by another test, leaves Celery
    believing it runs inside a task, where waiting for a result is refused.)"""
    from celery.result import allow_join_result

    with allow_join_result():
        return async_result.get(timeout=timeout)
