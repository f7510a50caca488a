"""Serialising check-then-write rules that no row lock can cover (e.g. "no two rules overlap": the row that would
clash does not exist yet to be locked)."""

import hashlib

from django.db import connection


def serialize_on(key: str) -> None:
    """Hold a lock named `key` until the current transaction ends, so a second transaction asking for the same key
    waits and then sees what the first one wrote. PostgreSQL: a transaction-level advisory lock. SQLite needs none:
    its write transactions already run one at a time (BEGIN IMMEDIATE, see the settings)."""
    if connection.vendor != "postgresql":
        return
    number = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])
