"""Where export rows come from: one snapshot of the ledger, read in large fetches and never held whole.

- `snapshot()` opens one REPEATABLE READ, read-only transaction on PostgreSQL (a deferred read transaction on
  SQLite), so rows, control totals and seals agree whatever is posted meanwhile.
- `fetch_chunks()` yields lists of row tuples: binary `COPY ... TO STDOUT` rows on PostgreSQL (the server streams
  them without waiting for each fetch), `fetchmany` on SQLite (whose cursor steps through the result as it is
  fetched).
- `copy_csv()` (PostgreSQL only) lets the server write the CSV itself: `COPY (SELECT ...) TO STDOUT`.
- The statements read text where the server can format it (dates, entry numbers), so Python only passes
  values through. Each statement is written in the SQL both databases share, apart from `_VENDOR` snippets.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from django.db import connection, transaction
from psycopg import sql as pgsql

from .models import ExportKind
from .spec import ExportSpec

FETCH = 20_000

_VENDOR = {
    "postgresql": {"number": "s.fiscal_year || '-' || lpad(s.number::text, 6, '0')"},
    "sqlite": {"number": "printf('%%d-%%06d', s.fiscal_year, s.number)"},
}


@contextmanager
def snapshot(*, when_alone: bool = True) -> Iterator[bool]:
    """Read everything in the block from one snapshot; yields whether it opened its own transaction. Inside a
    caller's transaction (tests, an outer atomic) that transaction's view is used as it is. `when_alone=False`
    skips it on SQLite, where a job must write its progress between reads on the one connection."""
    if connection.in_atomic_block or (connection.vendor != "postgresql" and not when_alone):
        yield False
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            # On the raw cursor: the isolation level must come first, before any statement a wrapper of Django's
            # cursor (the audit context) may send ahead of ours.
            with connection.connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                # The general ledger's running balance sorts the period's lines: let the server sort in memory.
                cur.execute("SET LOCAL work_mem = '128MB'")
                # One long streaming statement: compiling it buys nothing measurable.
                cur.execute("SET LOCAL jit = off")
            yield True
        return
    with connection.cursor() as cur:
        cur.execute("BEGIN DEFERRED")
    try:
        yield True
    finally:
        with connection.cursor() as cur:
            cur.execute("COMMIT")


def id_list(ids: Sequence[int]) -> str:
    """A literal list of ledger ids (integers from our own rows): the same statement text serves COPY too."""
    return ", ".join(str(int(i)) for i in ids)


class Statement(NamedTuple):
    """A SELECT with its parameters, and the PostgreSQL types of its columns (COPY's binary rows carry none)."""

    sql: str
    params: list
    types: tuple[str, ...]


JOURNAL_TYPES = ("text", "int8", "text", "text", "int8", "text", "text", "int8", "int8", "text", "text", "text")
STATEMENT_TYPES = ("text", "text", "int8", "int8", "text", "text", "int8", "int8")
LEDGER_TYPES = ("text", "text", "text", "text", "text", "int8", "int8", "int8", "int8", "int8", "text", "text")
SAFT_TYPES = ("int8", "int8", "text", "text", "text", "text", "text", "int8", "text", "int8", "int8", "text")


def lines_statement(spec: ExportSpec) -> Statement:
    """The SELECT behind the journal, the general ledger and the account statement, with its parameters."""
    number = _VENDOR[connection.vendor]["number"]
    period = [spec.date_from, spec.date_to]
    seal = f"CASE WHEN s.number IS NULL THEN NULL ELSE {number} END"
    if spec.kind == ExportKind.JOURNAL:
        return Statement(
            f"SELECT {seal}, e.id, CAST(e.effective_date AS TEXT), g.code, l.id, a.code, a.name_ko, l.debit, "  # noqa: S608 - ids and fixed snippets only
            "l.credit, l.party, e.memo, e.reference "
            "FROM ledger_journalentry e JOIN ledger_journalline l ON l.entry_id = e.id "
            "JOIN ledger_account a ON a.id = l.account_id JOIN ledger_ledger g ON g.id = e.ledger_id "
            "LEFT JOIN ledger_entryseal s ON s.entry_id = e.id "
            f"WHERE e.ledger_id IN ({id_list(spec.ledger_ids)}) AND e.effective_date BETWEEN %s AND %s "
            "ORDER BY e.ledger_id, e.id, l.id", period, JOURNAL_TYPES)
    if spec.kind == ExportKind.STATEMENT:
        return Statement(
            f"SELECT CAST(l.effective_date AS TEXT), {seal}, l.entry_id, l.id, e.memo, l.party, l.debit, l.credit "  # noqa: S608 - ids and fixed snippets only
            "FROM ledger_journalline l JOIN ledger_journalentry e ON e.id = l.entry_id "
            "LEFT JOIN ledger_entryseal s ON s.entry_id = l.entry_id "
            "WHERE l.account_id = %s AND l.effective_date BETWEEN %s AND %s ORDER BY l.effective_date, l.id",
            [spec.account.id, *period], STATEMENT_TYPES)
    # The general ledger: every account's lines in date order with its running balance (debit − credit) after
    # each, from the account's balance on the eve of the period (its day totals before it).
    return Statement(
        f"SELECT g.code, a.code, a.name_ko, CAST(l.effective_date AS TEXT), {seal}, l.entry_id, l.id, l.debit, "  # noqa: S608 - ids and fixed snippets only
        "l.credit, CAST(COALESCE(o.opening, 0) + SUM(l.debit - l.credit) OVER (PARTITION BY a.ledger_id, a.code "
        "ORDER BY l.effective_date, l.id ROWS UNBOUNDED PRECEDING) AS BIGINT), l.party, e.memo "
        "FROM ledger_account a JOIN ledger_ledger g ON g.id = a.ledger_id "
        "JOIN ledger_journalline l ON l.account_id = a.id JOIN ledger_journalentry e ON e.id = l.entry_id "
        "LEFT JOIN ledger_entryseal s ON s.entry_id = l.entry_id "
        "LEFT JOIN (SELECT d.account_id, SUM(d.debit - d.credit) AS opening FROM ledger_accountday d "
        f"JOIN ledger_account da ON da.id = d.account_id WHERE da.ledger_id IN ({id_list(spec.ledger_ids)}) "
        "AND d.day < %s GROUP BY d.account_id) o ON o.account_id = a.id "
        f"WHERE a.ledger_id IN ({id_list(spec.ledger_ids)}) AND l.effective_date BETWEEN %s AND %s "
        "ORDER BY a.ledger_id, a.code, l.effective_date, l.id", [spec.date_from, *period], LEDGER_TYPES)


def saft_statement(spec: ExportSpec) -> Statement:
    """Every line of the period with its entry, in journal order, for the SAF-T transactions."""
    number = _VENDOR[connection.vendor]["number"]
    return Statement(
        f"SELECT e.ledger_id, e.id, CASE WHEN s.number IS NULL THEN NULL ELSE {number} END, "  # noqa: S608 - ids and fixed snippets only
        "CAST(e.effective_date AS TEXT), e.memo, e.reference, e.actor_label, l.id, a.code, l.debit, l.credit, "
        "l.party FROM ledger_journalentry e JOIN ledger_journalline l ON l.entry_id = e.id "
        "JOIN ledger_account a ON a.id = l.account_id LEFT JOIN ledger_entryseal s ON s.entry_id = e.id "
        f"WHERE e.ledger_id IN ({id_list(spec.ledger_ids)}) AND e.effective_date BETWEEN %s AND %s "
        "ORDER BY e.ledger_id, e.id, l.id", [spec.date_from, spec.date_to], SAFT_TYPES)


def fetch_chunks(statement: Statement, size: int | None = None) -> Iterator[list[tuple]]:
    """The statement's rows, `size` (FETCH) at a time. On PostgreSQL the server streams them as binary COPY rows
    (pipelined, unlike a cursor's FETCH round trips), parsed by psycopg's C loaders."""
    size = size or FETCH
    if connection.vendor != "postgresql":
        with connection.cursor() as cur:
            cur.execute(statement.sql, statement.params)
            while rows := cur.fetchmany(size):
                yield rows
        return
    with connection.cursor() as cur:
        query = pgsql.SQL("COPY ({}) TO STDOUT WITH (FORMAT binary)").format(
            pgsql.SQL(cur.mogrify(statement.sql, statement.params)))
        with cur.cursor.copy(query) as copy:
            copy.set_types(list(statement.types))
            rows = []
            for row in copy.rows():
                rows.append(row)
                if len(rows) >= size:
                    yield rows
                    rows = []
            if rows:
                yield rows


def copy_csv(statement: Statement) -> Iterator[bytes]:
    """PostgreSQL writes the rows as CSV itself (no header); yields its chunks as they arrive."""
    with connection.cursor() as cur:
        query = pgsql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv)").format(
            pgsql.SQL(cur.mogrify(statement.sql, statement.params)))
        with cur.cursor.copy(query) as copy:
            for chunk in copy:
                yield bytes(chunk)
