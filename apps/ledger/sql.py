"""The engine's hand-written SQL, one function per statement shape.

Why not the ORM here: a posting is the hot path.
- PostgreSQL: a posting, of one entry or of a thousand, is one call of the `ledger_post` procedure, or of its lean
  twin `ledger_post_entry` for one entry (`apps.ledger.procedures`), which locks, checks and writes; outside a
  transaction that is one round trip and one commit.
- SQLite (the embedded default, one writer at a time): the engine checks in Python and writes with a few
  multi-row statements in the caller's transaction.
Holds and period closes lock and read with the statements below on both databases.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import psycopg
from django.db import connection, connections

ENTRY_COLUMNS = (
    "id", "ledger_id", "effective_date", "posted_at", "memo", "posted_by_id", "actor_label", "reference",
    "idempotency_key", "payload_hash", "reverses_id", "hold_id", "transfer_id", "metadata",
)
LINE_COLUMNS = (
    "entry_id", "account_id", "debit", "credit", "currency", "party", "effective_date", "balance_after", "metadata",
)
DAY_COLUMNS = ("account_id", "day", "debit", "credit")
TOTAL_COLUMNS = ("id", "d", "c", "pd", "pc")
ACCOUNT_COLUMNS = (
    "id", "ledger_id", "code", "type", "currency", "is_active", "non_negative", "debit_total", "credit_total",
    "pending_debit", "pending_credit",
)
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
            cur.execute(sql, params, prepare=True)
    else:
        cur.execute(sql, params)


def to_json(value: Mapping) -> str:
    return json.dumps(dict(value), sort_keys=True) if value else "{}"


def closed_years(value) -> list[int]:
    return (json.loads(value) if isinstance(value, str) else value) or []


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


# --- PostgreSQL: the posting procedure -------------------------------------------------------------------------

# The fields of entries and lines that most leave at their default: `Document` keeps them by position.
ENTRY_EXTRAS = ("memo", "reference", "key", "hash", "reverses", "hold", "transfer", "metadata")
LINE_EXTRAS = ("party", "metadata")
POST = (
    "SELECT ids, replayed FROM ledger_post(%s::bigint[], %s::date[], %s::text[], %s::text[], %s::text[], %s::text[], "
    "%s::bigint[], %s::bigint[], %s::uuid[], %s::jsonb[], %s::integer[], %s::bigint[], %s::bigint[], %s::bigint[], "
    "%s::text[], %s::text[], %s::jsonb[], %s::bigint[], %s::bigint[], %s::bigint[], %s, %s, %s)"
)


@dataclass
class Document:
    """What the posting procedure takes: one list per field, the i-th element of each belonging to the i-th entry
    (line, release). Lines name their entry by its 1-based position. The fields most entries and lines leave at
    their default (ENTRY_EXTRAS, LINE_EXTRAS) are kept apart as {position: value} (metadata as JSON text), and
    go to the procedure as NULL when none sets them."""

    entry_ledger: list[int] = field(default_factory=list)
    entry_date: list[date] = field(default_factory=list)
    entry_extras: dict[str, dict[int, object]] = field(default_factory=dict)
    line_entry: list[int] = field(default_factory=list)
    line_account: list[int] = field(default_factory=list)
    line_debit: list[int] = field(default_factory=list)
    line_credit: list[int] = field(default_factory=list)
    line_currency: list[str] = field(default_factory=list)
    line_extras: dict[str, dict[int, object]] = field(default_factory=dict)
    releases: list[tuple[int, int, int]] = field(default_factory=list)  # (account, debit, credit)

    def params(self) -> list:
        entries, lines = len(self.entry_ledger), len(self.line_entry)
        release_columns = [list(column) for column in zip(*self.releases, strict=True)] or [None, None, None]
        return [
            _array(self.entry_ledger), _array(self.entry_date),
            *(_spread(self.entry_extras.get(name), entries) for name in ENTRY_EXTRAS),
            _array(self.line_entry), _array(self.line_account), _array(self.line_debit), _array(self.line_credit),
            _codes(self.line_currency),
            *(_spread(self.line_extras.get(name), lines) for name in LINE_EXTRAS),
            *release_columns,
        ]


def _array(values: Sequence) -> str:
    """An array literal of numbers, dates or plain codes, which need no quoting (building it here is several times
    faster than the driver's adaptation of a list)."""
    return "{" + ",".join(map(str, values)) + "}"


def _codes(values: Sequence[str]) -> str | list[str]:
    """Currency codes: as an array literal when they are plain letters (ISO codes are), else for the driver to
    quote."""
    return _array(values) if all(c.isascii() and c.isalpha() for c in set(values)) else list(values)


def _spread(values: Mapping[int, object] | None, size: int) -> list | None:
    return None if not values else [values.get(i) for i in range(size)]


def post(document: Document, posted_at: datetime, user_id: int | None, actor: str) -> tuple[list[int], list[int]]:
    """Call `ledger_post`; returns the entry id of every entry of the document, in order, and the 1-based
    positions of those answered with an entry posted before under the same idempotency key."""
    db = connections[connection.alias]  # the wrapper itself: each attribute read through the proxy costs a look-up
    cur = _posting_cursor(db)
    with db.wrap_database_errors:
        cur.execute(POST, [*document.params(), posted_at, user_id, actor], prepare=True)
    ids, replayed = cur.fetchone()
    return ids, replayed or []


POST_ENTRY = (
    "SELECT posted, replayed FROM ledger_post_entry(%s::bigint, %s::date, %s::text, %s::text, %s::text, %s::text, "
    "%s::bigint, %s::bigint, %s::uuid, %s::jsonb, %s::bigint[], %s::bigint[], %s::bigint[], %s::text[], %s::text[], "
    "%s::jsonb[], %s, %s, %s)"
)


@dataclass
class OneEntry:
    """What `ledger_post_entry` takes: one entry's fields, its lines' as lists (party and metadata None when no line
    sets them, metadata as JSON text)."""

    ledger: int
    effective_date: date
    memo: str | None = None
    reference: str | None = None
    key: str | None = None
    hash: str | None = None
    reverses: int | None = None
    hold: int | None = None
    transfer: str | None = None
    metadata: str | None = None
    line_account: list[int] = field(default_factory=list)
    line_debit: list[int] = field(default_factory=list)
    line_credit: list[int] = field(default_factory=list)
    line_currency: list[str] = field(default_factory=list)
    line_party: list[str] | None = None
    line_metadata: list[str] | None = None

    def params(self) -> list:
        return [
            self.ledger, self.effective_date, self.memo, self.reference, self.key, self.hash, self.reverses,
            self.hold, self.transfer, self.metadata, _array(self.line_account), _array(self.line_debit),
            _array(self.line_credit), _codes(self.line_currency), self.line_party, self.line_metadata,
        ]


def post_entry(entry: OneEntry, posted_at: datetime, user_id: int | None, actor: str) -> tuple[int, bool]:
    """Call `ledger_post_entry`, the lean path for one entry that releases no reservation; returns its id and
    whether it was posted before under the same idempotency key."""
    db = connections[connection.alias]
    cur = _posting_cursor(db)
    with db.wrap_database_errors:
        cur.execute(POST_ENTRY, [*entry.params(), posted_at, user_id, actor], prepare=True)
    posted, replayed = cur.fetchone()
    return posted, replayed


def _posting_cursor(db) -> psycopg.Cursor:
    """One server-binding cursor per database connection, kept for the postings that follow (a fresh cursor per
    posting costs more than the rest of the Python side of it)."""
    if db.connection is None:
        db.ensure_connection()
    raw = db.connection
    cached = getattr(db, "_ledger_posting_cursor", None)
    if cached is None or cached.connection is not raw or cached.closed:
        cached = db._ledger_posting_cursor = psycopg.Cursor(raw)
    return cached


# --- Locks and reads (holds, period closes; every posting on SQLite) --------------------------------------------

def lock_accounts(account_ids: Iterable[int]) -> list[tuple]:
    """Lock accounts FOR UPDATE in id order (the order every writer uses) and return their ACCOUNT_COLUMNS."""
    ids = sorted(set(account_ids))
    if not ids:
        return []
    lock = " FOR UPDATE" if is_postgres() else ""
    with cursor() as cur:
        execute(cur, f"SELECT {', '.join(ACCOUNT_COLUMNS)} FROM ledger_account "  # noqa: S608 - fixed names
                     f"WHERE id IN ({_placeholders(len(ids))}) ORDER BY id{lock}", ids)
        return cur.fetchall()


def lock_ledger_accounts(ledger_id: int) -> None:
    """Lock every account of a ledger (a period close): postings in flight finish first, new ones wait."""
    if is_postgres():
        with cursor() as cur:
            execute(cur, "SELECT 1 FROM ledger_account WHERE ledger_id = %s ORDER BY id FOR UPDATE", [ledger_id])


def read_closed_years(ledger_ids: Iterable[int], *, lock: bool = False) -> dict[int, list[int]]:
    """Each ledger's closed fiscal years; with `lock`, the ledger rows are locked FOR UPDATE (close and reopen).

    Read after the accounts are locked, in a statement of its own: its snapshot then includes a close that
    committed while the locks were awaited (a close locks every account of its ledger).
    """
    ids = sorted(set(ledger_ids))
    suffix = " FOR UPDATE" if lock and is_postgres() else ""
    with cursor() as cur:
        execute(cur, f"SELECT id, closed_years FROM ledger_ledger WHERE id IN ({_placeholders(len(ids))}) "  # noqa: S608
                     f"ORDER BY id{suffix}", ids)
        return {row[0]: closed_years(row[1]) for row in cur.fetchall()}


def next_entry_ids(count: int) -> list[int]:
    """SQLite: the ids the next `count` entries take (BEGIN IMMEDIATE holds the database's one write lock)."""
    with cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM ledger_journalentry")
        start = cur.fetchone()[0] + 1
    return list(range(start, start + count))


# --- SQLite: the writes of a posting ---------------------------------------------------------------------------

_UPDATE_TOTALS = (
    "UPDATE ledger_account SET debit_total = debit_total + v.d, credit_total = credit_total + v.c, "
    "pending_debit = pending_debit - v.pd, pending_credit = pending_credit - v.pc "
)
_UPSERT_DAYS = (
    " ON CONFLICT (account_id, day) DO UPDATE SET debit = ledger_accountday.debit + excluded.debit, "
    "credit = ledger_accountday.credit + excluded.credit"
)


def _chunks(rows: Sequence[tuple], width: int) -> Iterable[Sequence[tuple]]:
    size = max(1, SQLITE_MAX_PARAMS // width)
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _values(rows: Sequence[tuple]) -> tuple[str, list]:
    width = len(rows[0])
    return "VALUES " + ", ".join([f"({_placeholders(width)})"] * len(rows)), [v for r in rows for v in r]


def write_postings(entry_rows: Sequence[tuple], line_rows: Sequence[tuple], total_rows: Sequence[tuple],
                   day_rows: Sequence[tuple]) -> None:
    """Insert entries and lines, add to day totals, add to account totals (and release reservations)."""
    with cursor() as cur:
        for table, columns, rows, suffix in (
            ("ledger_journalentry", ENTRY_COLUMNS, entry_rows, ""),
            ("ledger_journalline", LINE_COLUMNS, line_rows, ""),
            ("ledger_accountday", DAY_COLUMNS, day_rows, _UPSERT_DAYS),
        ):
            for chunk in _chunks(rows, len(columns)):
                values, params = _values(chunk)
                cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) {values}{suffix}", params)
    update_totals(total_rows)


def update_totals(total_rows: Sequence[tuple]) -> None:
    """Add (debit, credit) to accounts' totals and release (pending debit, pending credit) of their reservations:
    rows of TOTAL_COLUMNS; a negative release reserves."""
    with cursor() as cur:
        for chunk in _chunks(total_rows, len(TOTAL_COLUMNS)):
            values, params = _values(chunk)
            execute(cur, f"WITH v ({', '.join(TOTAL_COLUMNS)}) AS ({values}) {_UPDATE_TOTALS}"
                         "FROM v WHERE ledger_account.id = v.id", params)


def update_reservations(changes: Mapping[int, tuple[int, int]]) -> None:
    """Add (debit, credit) to the accounts' reservations; negative numbers release them."""
    update_totals([(aid, 0, 0, -d, -c) for aid, (d, c) in sorted(changes.items())])
