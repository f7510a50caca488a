"""The engine's hand-written SQL, one function per statement shape, for PostgreSQL and SQLite.

Why not the ORM here: a posting is the hot path. On PostgreSQL everything an entry writes — the entry, its lines,
the account totals and the day totals — goes in one statement of data-modifying CTEs, after one statement that
locks the rows and allocates entry ids; with BEGIN and COMMIT that is four round trips a posting, or a batch.
SQLite (the embedded default, one writer at a time) runs the same writes as separate statements.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence

import psycopg
from django.db import connection

# Column name → PostgreSQL type, in insert order.
ENTRY_COLUMNS = {
    "id": "bigint", "ledger_id": "bigint", "effective_date": "date", "posted_at": "timestamptz", "memo": "text",
    "posted_by_id": "integer", "actor_label": "text", "reference": "text", "idempotency_key": "text",
    "payload_hash": "text", "reverses_id": "bigint", "hold_id": "bigint", "transfer_id": "uuid", "metadata": "jsonb",
}
LINE_COLUMNS = {
    "entry_id": "bigint", "account_id": "bigint", "debit": "bigint", "credit": "bigint", "currency": "text",
    "party": "text", "effective_date": "date", "balance_after": "bigint", "metadata": "jsonb",
}
DAY_COLUMNS = {"account_id": "bigint", "day": "date", "debit": "bigint", "credit": "bigint"}
TOTAL_COLUMNS = {"id": "bigint", "d": "bigint", "c": "bigint", "pd": "bigint", "pc": "bigint"}
COLUMNS = {
    "ledger_journalentry": ENTRY_COLUMNS, "ledger_journalline": LINE_COLUMNS, "ledger_accountday": DAY_COLUMNS,
    "totals": TOTAL_COLUMNS,
}
ACCOUNT_COLUMNS = (
    "id", "ledger_id", "code", "type", "currency", "is_active", "non_negative", "debit_total", "credit_total",
    "pending_debit", "pending_credit",
)

# Up to this many rows a statement binds scalars (cheap to adapt, and the statement text repeats, so PostgreSQL
# reuses its plan); past it, one array per column through unnest() keeps the statement short.
SCALAR_ROWS = 16
# SQLite allows 32,766 bound variables per statement.
SQLITE_MAX_PARAMS = 30_000


@functools.cache
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def cursor():
    """On PostgreSQL, a cursor that binds parameters on the server, so the hot statements are prepared once per
    connection instead of parsed and planned for every posting."""
    if not is_postgres():
        return connection.cursor()
    if connection.connection is None:
        connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def execute(cur, sql: str, params: Sequence) -> None:
    if is_postgres():
        # Raw psycopg errors become Django's (IntegrityError, OperationalError...) as for any other query.
        with connection.wrap_database_errors:
            cur.execute(sql, params, prepare=len(params) <= 256)
    else:
        cur.execute(sql, params)


def to_json(value: Mapping) -> str:
    return json.dumps(dict(value), sort_keys=True) if value else "{}"


def closed_years(value) -> list[int]:
    return (json.loads(value) if isinstance(value, str) else value) or []


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _as_arrays(rows: Sequence[tuple]) -> bool:
    return is_postgres() and len(rows) > SCALAR_ROWS


@functools.lru_cache(maxsize=512)
def _source_sql(table: str, count: int, arrays: bool, alias: str | None = None) -> str:
    """`VALUES (...), ...` for `count` rows of a table's columns, or `SELECT * FROM unnest(...)` over arrays.
    Cached: the statement text for a shape of posting is built once per process."""
    columns = COLUMNS[table]
    if arrays:
        # %b: arrays go over in binary, which skips psycopg's text escaping of every element.
        casts = ", ".join(f"%b::{kind}[]" for kind in columns.values())
        return f"unnest({casts}) AS {alias} ({', '.join(columns)})" if alias else f"SELECT * FROM unnest({casts})"
    values = "VALUES " + ", ".join([f"({_placeholders(len(columns))})"] * count)
    return f"({values}) AS {alias} ({', '.join(columns)})" if alias else values


def _source_params(rows: Sequence[tuple], arrays: bool) -> list:
    if arrays:
        return [list(col) for col in zip(*rows, strict=True)]
    return [v for r in rows for v in r]


def _source(table: str, rows: Sequence[tuple], *, alias: str | None = None) -> tuple[str, list]:
    """Rows as `VALUES (...), ...` or, on PostgreSQL for many rows, `SELECT * FROM unnest(...)`."""
    arrays = _as_arrays(rows)
    return _source_sql(table, len(rows), arrays, alias), _source_params(rows, arrays)


def lock_ledgers(ledger_ids: Iterable[int], *, exclusive: bool) -> dict[int, list[int]]:
    ids = sorted(set(ledger_ids))
    lock = (" FOR UPDATE" if exclusive else " FOR KEY SHARE") if is_postgres() else ""
    with cursor() as cur:
        execute(cur, f"SELECT id, closed_years FROM ledger_ledger WHERE id IN ({_placeholders(len(ids))}) "
                     f"ORDER BY id{lock}", ids)
        return {row[0]: closed_years(row[1]) for row in cur.fetchall()}


def lock_accounts(account_ids: Iterable[int]) -> list[tuple]:
    ids = sorted(set(account_ids))
    lock = " FOR UPDATE" if is_postgres() else ""
    with cursor() as cur:
        execute(cur, f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM ledger_account "
                     f"WHERE id IN ({_placeholders(len(ids))}) ORDER BY id{lock}", ids)
        return cur.fetchall()


@functools.lru_cache(maxsize=512)
def _postgres_lock_sql(accounts: int, new_entries: int) -> str:
    # One new entry (the common case) takes a plain nextval() per row, far cheaper than aggregating a series.
    allocate = (
        "nextval(pg_get_serial_sequence('ledger_journalentry', 'id'))" if new_entries == 1 else
        "(SELECT array_agg(nextval(pg_get_serial_sequence('ledger_journalentry', 'id'))) "
        f"FROM generate_series(1, {int(new_entries)}))"
    )
    return (
        f"SELECT {', '.join('a.' + c for c in ACCOUNT_COLUMNS)}, l.closed_years, {allocate} "
        "FROM ledger_account a JOIN ledger_ledger l ON l.id = a.ledger_id "
        f"WHERE a.id IN ({_placeholders(accounts)}) ORDER BY a.id FOR UPDATE OF a FOR KEY SHARE OF l"
    )


def lock_for_posting(account_ids: Iterable[int], new_entries: int) -> tuple[list[tuple], list[int]]:
    """Lock the accounts (FOR UPDATE, in id order) and their ledgers (KEY SHARE), read each ledger's closed years
    from the locked row, and allocate ids for the entries to insert. Rows: ACCOUNT_COLUMNS + closed_years."""
    ids = sorted(set(account_ids))
    if is_postgres():
        with cursor() as cur:
            execute(cur, _postgres_lock_sql(len(ids), new_entries), ids)
            rows = cur.fetchall()
        if not rows or not new_entries:
            return [row[:-1] for row in rows], []
        return [row[:-1] for row in rows], ([rows[0][-1]] if new_entries == 1 else rows[0][-1])
    # SQLite: BEGIN IMMEDIATE already holds the database's one write lock; reads need no row locks.
    accounts = lock_accounts(ids)
    closed = lock_ledgers({row[1] for row in accounts}, exclusive=False)
    rows = [(*row, closed[row[1]]) for row in accounts]
    with cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_journalentry")
        start = cur.fetchone()[0] + 1
    return rows, list(range(start, start + new_entries))


def write_postings(entry_rows: Sequence[tuple], line_rows: Sequence[tuple], total_rows: Sequence[tuple],
                   day_rows: Sequence[tuple]) -> None:
    """Insert entries and lines, add to account totals (and release reservations), add to day totals."""
    if is_postgres():
        _write_postgres(entry_rows, line_rows, total_rows, day_rows)
    else:
        _write_sqlite(entry_rows, line_rows, total_rows, day_rows)


_UPDATE_TOTALS = (
    "UPDATE ledger_account SET debit_total = debit_total + v.d, credit_total = credit_total + v.c, "
    "pending_debit = pending_debit - v.pd, pending_credit = pending_credit - v.pc "
)
_UPSERT_DAYS = (
    " ON CONFLICT (account_id, day) DO UPDATE SET debit = ledger_accountday.debit + excluded.debit, "
    "credit = ledger_accountday.credit + excluded.credit"
)


@functools.lru_cache(maxsize=512)
def _postgres_write_sql(entries: int, lines: int, days: int, totals: int, arrays: tuple[bool, ...]) -> str:
    parts = []
    for name, table, count, as_arrays, suffix in (
        ("e", "ledger_journalentry", entries, arrays[0], ""),
        ("l", "ledger_journalline", lines, arrays[1], ""),
        ("d", "ledger_accountday", days, arrays[2], _UPSERT_DAYS),
    ):
        if count:
            columns = ", ".join(COLUMNS[table])
            parts.append(f"{name} AS (INSERT INTO {table} ({columns}) {_source_sql(table, count, as_arrays)}{suffix})")
    with_clause = f"WITH {', '.join(parts)} " if parts else ""
    source = _source_sql("totals", totals, arrays[3], "v")
    return f"{with_clause}{_UPDATE_TOTALS}FROM {source} WHERE ledger_account.id = v.id"


def _write_postgres(entry_rows, line_rows, total_rows, day_rows) -> None:
    groups = (entry_rows, line_rows, day_rows, total_rows)
    arrays = tuple(_as_arrays(rows) for rows in groups)
    params = [
        p for rows, as_arrays in zip(groups, arrays, strict=True) if rows for p in _source_params(rows, as_arrays)
    ]
    statement = _postgres_write_sql(len(entry_rows), len(line_rows), len(day_rows), len(total_rows), arrays)
    with cursor() as cur:
        execute(cur, statement, params)


def _sqlite_chunks(rows: Sequence[tuple], width: int) -> Iterable[Sequence[tuple]]:
    size = max(1, SQLITE_MAX_PARAMS // width)
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _write_sqlite(entry_rows, line_rows, total_rows, day_rows) -> None:
    with cursor() as cur:
        for table, rows, suffix in (
            ("ledger_journalentry", entry_rows, ""),
            ("ledger_journalline", line_rows, ""),
            ("ledger_accountday", day_rows, _UPSERT_DAYS),
        ):
            columns = COLUMNS[table]
            for chunk in _sqlite_chunks(rows, len(columns)):
                src, params = _source(table, chunk)
                cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) {src}{suffix}", params)
        for chunk in _sqlite_chunks(total_rows, len(TOTAL_COLUMNS)):
            src, params = _source("totals", chunk)
            cur.execute(
                f"WITH v ({', '.join(TOTAL_COLUMNS)}) AS ({src}) {_UPDATE_TOTALS}FROM v WHERE ledger_account.id = v.id",
                params,
            )


def update_reservations(changes: Mapping[int, tuple[int, int]]) -> None:
    """Add (debit, credit) to the accounts' reservations; negative numbers release them."""
    write_postings([], [], [(aid, 0, 0, -d, -c) for aid, (d, c) in sorted(changes.items())], [])
