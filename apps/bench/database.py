"""The bench's own throwaway PostgreSQL database, created next to the configured one and dropped afterwards.

Benchmarks write hundreds of thousands of entries; they must never touch the configured database. The bench
database is created and dropped through the `postgres` maintenance database with the configured credentials, and
Django's default connection is pointed at it for the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from psycopg import sql

from .figures import Reporter

RESERVED_NAMES = {"postgres", "template0", "template1"}


def refuse_unless_postgres() -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if not engine.endswith("postgresql"):
        raise CommandError(
            f"the bench measures the PostgreSQL shape of the system and refuses to run on {engine.rsplit('.', 1)[-1]}"
            " (SQLite allows one writer at a time, so its figures would mean nothing). "
            "Set DATABASE_URL=postgres://user@host:5432/name and run it again."
        )


def bench_name(configured: str, requested: str | None) -> str:
    name = requested or f"{configured}_bench"
    if name == configured or name in RESERVED_NAMES:
        raise CommandError(f"the bench drops its database at the end; refusing to use {name!r}")
    return name


def maintenance_connection():
    """Autocommit connection to the `postgres` database: CREATE and DROP DATABASE cannot run in a transaction."""
    return autocommit_connection("postgres")


def autocommit_connection(dbname: str | None = None):
    """A psycopg connection of its own, in autocommit, with the configured credentials: to `dbname`, or to the
    database the default connection points at."""
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=dbname or db["NAME"], host=db.get("HOST") or None, port=db.get("PORT") or None,
        user=db.get("USER") or None, password=db.get("PASSWORD") or None, autocommit=True, **{
            k: v for k, v in db.get("OPTIONS", {}).items() if k in {"sslmode", "sslrootcert", "sslcert", "sslkey"}
        },
    )


def _drop(maintenance, name: str) -> None:
    # WITH (FORCE): a crashed child of an earlier run may still hold a connection.
    maintenance.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _point_default_at(name: str) -> None:
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def server_version() -> str:
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        return f"postgresql {cur.fetchone()[0].split()[0]}"


@contextmanager
def throwaway_database(reporter: Reporter, name: str | None = None, *, keep: bool = False) -> Iterator[str]:
    """Create `<configured>_bench` (or `name`), migrate it, point the default connection at it for the block, and
    drop it afterwards unless `keep`."""
    configured = settings.DATABASES["default"]["NAME"]
    name = bench_name(configured, name)
    with maintenance_connection() as maintenance:
        exists = maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            reporter.info(f"dropping {name!r} left by an earlier run")
            _drop(maintenance, name)
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    reporter.info(f"created database {name!r} next to {configured!r}")
    try:
        _point_default_at(name)
        call_command("migrate", verbosity=0, interactive=False)
        yield name
    finally:
        _point_default_at(configured)
        if keep:
            reporter.info(f"kept database {name!r} (--keep)")
        else:
            with maintenance_connection() as maintenance:
                _drop(maintenance, name)
            reporter.info(f"dropped database {name!r}")
