"""Verification: recompute what the ledger stores and compare, so that a change made behind the engine's back shows.

Design
- Every check but one is a single set-based statement (GROUP BY, window functions) over a whole table, written in
  the SQL that PostgreSQL and SQLite share; it returns only the rows that disagree, so a sound ledger of a million
  lines moves almost nothing into Python.
- The hash chain is the exception. Its links (each seal's previous hash is the hash of the seal before it) are
  checked in chain order by one window statement; then every seal's hash is recomputed in Python with
  `sealing.entry_digest` over its entry and lines, read through the very `values_list` calls the sealer uses. That
  pass streams `CHAIN_CHUNK` seals at a time by entry-id range, fetching each chunk's entries and lines with one
  range scan each, so memory stays flat and every line is read once, however many ledgers interleave.
- All checks read one snapshot (REPEATABLE READ on PostgreSQL, one read transaction on SQLite): a posting or a seal
  committed halfway through a run cannot show up as a false discrepancy.
- Each discrepancy is one sentence naming the ledger and the account, entry or hold; a check lists at most
  `LISTED_PER_CHECK` of them and then says how many more it found. Every run is recorded as a `VerificationRun`.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from . import procedures, sealing
from .models import EntrySeal, JournalEntry, JournalLine, VerificationRun

Progress = Callable[[str, int, int], None]

CHAIN_CHUNK = 5_000
LISTED_PER_CHECK = 50


@dataclass
class VerificationResult:
    """What a run checked (counts), what it found wrong, and what it only notes (entries not sealed yet)."""

    checked: dict[str, int]
    problems: list[str]
    info: list[str] = field(default_factory=list)
    seconds: float = 0.0
    run_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(
    *, ledger_ids: Sequence[int] | None = None, progress: Progress | None = None, actor_label: str = "ledger_verify"
) -> VerificationResult:
    """Check every ledger (or the given ones) against its own lines, numbering and hash chain.

    Read-only apart from the `VerificationRun` it records; safe to run while postings and the sealer go on.
    """
    started = time.monotonic()
    record = VerificationRun.objects.create(actor_label=actor_label)
    check = _Verification(ledger_ids, progress)
    try:
        with _snapshot():
            check.run()
    except Exception as exc:
        if not connection.in_atomic_block:  # inside a caller's failed transaction nothing more can be written
            _finish(record, check.checked, [*check.problems, f"verification stopped with an error: {exc}"])
        raise
    _finish(record, check.checked, check.problems)
    return VerificationResult(
        checked=check.checked, problems=check.problems, info=check.info, seconds=time.monotonic() - started,
        run_id=record.pk,
    )


def _finish(record: VerificationRun, checked: dict, problems: list[str]) -> None:
    record.finished_at = timezone.now()
    record.ok = not problems
    record.checked = checked
    record.problems = problems
    record.save(update_fields=["finished_at", "ok", "checked", "problems"])


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read everything from one snapshot. Inside a caller's transaction (tests, an outer atomic) its snapshot
    is used as it is."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            # The running-balance window sorts every line; let it sort in memory rather than on disk.
            cur.execute("SET LOCAL work_mem = '128MB'")
            yield
        return
    # SQLite: a deferred transaction reads one WAL snapshot without the write lock that Django's IMMEDIATE
    # transactions take, so posting goes on while we read.
    with connection.cursor() as cur:
        cur.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute("COMMIT")


# The statements. `{name}` fields are filled with a ledger filter (see `_Verification.where`): "1 = 1" for a run
# over every ledger, else an IN list of ledger ids (integers we read ourselves); values are bound parameters.

COUNTS = """
SELECT (SELECT COUNT(*) FROM ledger_journalentry e WHERE {entries}),
       (SELECT COUNT(*) FROM ledger_journalline l WHERE {lines}),
       (SELECT COUNT(*) FROM ledger_entryseal s WHERE {seals}),
       (SELECT COUNT(*) FROM ledger_hold h WHERE {holds}),
       (SELECT COUNT(*) FROM ledger_accountday d WHERE {days})
"""

ACCOUNT_TOTALS = """
SELECT a.id, a.debit_total, a.credit_total, COALESCE(s.d, 0), COALESCE(s.c, 0)
  FROM ledger_account a
  LEFT JOIN (SELECT l.account_id, SUM(l.debit) AS d, SUM(l.credit) AS c FROM ledger_journalline l
              WHERE {lines} GROUP BY l.account_id) s ON s.account_id = a.id
 WHERE {accounts} AND (a.debit_total <> COALESCE(s.d, 0) OR a.credit_total <> COALESCE(s.c, 0))
 ORDER BY a.id
"""

# A two-line hold reserves its `remaining` on each line's side (it is posted in parts); any other hold reserves
# its line amounts until it is posted whole.
RESERVATIONS = """
SELECT a.id, a.pending_debit, a.pending_credit, COALESCE(r.pd, 0), COALESCE(r.pc, 0)
  FROM ledger_account a
  LEFT JOIN (
        SELECT account_id,
               SUM(CASE WHEN debit > 0 THEN (CASE WHEN n = 2 THEN remaining ELSE debit END) ELSE 0 END) AS pd,
               SUM(CASE WHEN credit > 0 THEN (CASE WHEN n = 2 THEN remaining ELSE credit END) ELSE 0 END) AS pc
          FROM (SELECT hl.account_id, hl.debit, hl.credit, h.remaining,
                       COUNT(*) OVER (PARTITION BY hl.hold_id) AS n
                  FROM ledger_holdline hl JOIN ledger_hold h ON h.id = hl.hold_id
                 WHERE h.status = 'open' AND {holds}) open_lines
         GROUP BY account_id) r ON r.account_id = a.id
 WHERE {accounts} AND (a.pending_debit <> COALESCE(r.pd, 0) OR a.pending_credit <> COALESCE(r.pc, 0))
 ORDER BY a.id
"""

# What was posted from a hold plus what it still holds is what it reserved; a voided hold holds nothing.
HOLD_AMOUNTS = """
SELECT h.id, h.ledger_id, h.status, h.amount, h.remaining, COALESCE(p.posted, 0)
  FROM ledger_hold h
  LEFT JOIN (SELECT e.hold_id, SUM(l.debit) AS posted
               FROM ledger_journalentry e JOIN ledger_journalline l ON l.entry_id = e.id
              WHERE e.hold_id IS NOT NULL GROUP BY e.hold_id) p ON p.hold_id = h.id
 WHERE {holds} AND CASE
       WHEN h.status = 'voided' THEN h.remaining <> 0 OR COALESCE(p.posted, 0) > h.amount
       WHEN h.status = 'posted' THEN h.remaining <> 0 OR COALESCE(p.posted, 0) <> h.amount
       ELSE COALESCE(p.posted, 0) + h.remaining <> h.amount END
 ORDER BY h.id
"""

DAY_TOTALS = """
SELECT account_id, day, SUM(line_debit), SUM(line_credit), SUM(day_debit), SUM(day_credit), SUM(day_rows)
  FROM (SELECT l.account_id, l.effective_date AS day, l.debit AS line_debit, l.credit AS line_credit,
               0 AS day_debit, 0 AS day_credit, 0 AS day_rows
          FROM ledger_journalline l WHERE {lines}
        UNION ALL
        SELECT d.account_id, d.day, 0, 0, d.debit, d.credit, 1 FROM ledger_accountday d WHERE {days}) x
 GROUP BY account_id, day
HAVING SUM(line_debit) <> SUM(day_debit) OR SUM(line_credit) <> SUM(day_credit)
 ORDER BY account_id, day
"""

# One pass over the lines, grouped by entry and currency, then by entry.
ENTRY_SHAPE = """
SELECT e.id, e.ledger_id, COALESCE(x.n, 0), x.min_ledger, x.max_ledger, x.bad_currency, x.bad_side, x.unbalanced,
       x.first_day <> e.effective_date OR x.last_day <> e.effective_date, x.unknown_account
  FROM ledger_journalentry e
  LEFT JOIN (
        SELECT entry_id, SUM(n) AS n, MIN(min_ledger) AS min_ledger, MAX(max_ledger) AS max_ledger,
               SUM(bad_currency) AS bad_currency, SUM(bad_side) AS bad_side,
               SUM(CASE WHEN d <> c THEN 1 ELSE 0 END) AS unbalanced,
               MIN(first_day) AS first_day, MAX(last_day) AS last_day, SUM(unknown_account) AS unknown_account
          FROM (SELECT l.entry_id, l.currency, COUNT(*) AS n, SUM(l.debit) AS d, SUM(l.credit) AS c,
                       MIN(a.ledger_id) AS min_ledger, MAX(a.ledger_id) AS max_ledger,
                       SUM(CASE WHEN a.currency <> l.currency THEN 1 ELSE 0 END) AS bad_currency,
                       SUM(CASE WHEN a.id IS NULL THEN 1 ELSE 0 END) AS unknown_account,
                       SUM(CASE WHEN (l.debit > 0 AND l.credit = 0) OR (l.debit = 0 AND l.credit > 0)
                                THEN 0 ELSE 1 END) AS bad_side,
                       MIN(l.effective_date) AS first_day, MAX(l.effective_date) AS last_day
                  FROM ledger_journalline l LEFT JOIN ledger_account a ON a.id = l.account_id
                 WHERE {entry_lines}
                 GROUP BY l.entry_id, l.currency) per_currency
         GROUP BY entry_id) x ON x.entry_id = e.id
 WHERE {entries} AND (COALESCE(x.n, 0) < 2 OR x.min_ledger <> e.ledger_id OR x.max_ledger <> e.ledger_id
                      OR x.bad_currency > 0 OR x.bad_side > 0 OR x.unbalanced > 0 OR x.unknown_account > 0
                      OR x.first_day <> e.effective_date OR x.last_day <> e.effective_date)
 ORDER BY e.id
"""

# Lines have no foreign key to their entry (see apps/ledger/procedures.py): lines of an entry that does not exist.
ORPHAN_LINES = """
SELECT l.entry_id, COUNT(*) FROM ledger_journalline l
 WHERE {lines} AND NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.id = l.entry_id)
 GROUP BY l.entry_id ORDER BY l.entry_id
"""


def missing_keys_query() -> str:
    """Entries naming a user, hold or reversed entry that does not exist (entries have no foreign keys either):
    id, ledger, and whether each of procedures.MISSING_KEYS is missing."""
    users = connection.ops.quote_name(get_user_model()._meta.db_table)
    flags = ", ".join(f"({condition.format(e='e', users=users)})" for condition in procedures.MISSING_KEYS.values())
    return (f"SELECT e.id, e.ledger_id, {flags} FROM ledger_journalentry e "  # noqa: S608 - fixed names only
            f"WHERE {{entries}} AND ({procedures.missing_key('e', users)}) ORDER BY e.id")


# Per account, the first line whose stored balance_after differs from the running sum, and how many differ.
RUNNING_BALANCES = """
SELECT account_id, id, entry_id, balance_after, running, n
  FROM (SELECT account_id, id, entry_id, balance_after, running,
               ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY id) AS k,
               COUNT(*) OVER (PARTITION BY account_id) AS n
          FROM (SELECT l.account_id, l.id, l.entry_id, l.balance_after,
                       SUM(l.debit - l.credit) OVER (PARTITION BY l.account_id ORDER BY l.id
                                                     ROWS UNBOUNDED PRECEDING) AS running
                  FROM ledger_journalline l WHERE {lines}) r
         WHERE balance_after <> running) wrong
 WHERE k = 1
 ORDER BY account_id
"""

# Numbers 1..N per ledger and fiscal year, chain indexes 1..M per ledger: each must follow its predecessor by one
# (equivalently count == max and min == 1), and a row that does not says where the gap or the duplicate is.
NUMBER_GAPS = """
SELECT ledger_id, fiscal_year, previous, number
  FROM (SELECT s.ledger_id, s.fiscal_year, s.number,
               LAG(s.number, 1, 0) OVER (PARTITION BY s.ledger_id, s.fiscal_year ORDER BY s.number) AS previous
          FROM ledger_entryseal s WHERE {seals}) x
 WHERE number <> previous + 1
 ORDER BY ledger_id, fiscal_year, number
"""

CHAIN_GAPS = """
SELECT ledger_id, previous, chain_index
  FROM (SELECT s.ledger_id, s.chain_index,
               LAG(s.chain_index, 1, 0) OVER (PARTITION BY s.ledger_id ORDER BY s.chain_index) AS previous
          FROM ledger_entryseal s WHERE {seals}) x
 WHERE chain_index <> previous + 1
 ORDER BY ledger_id, chain_index
"""

CHAIN_HEADS = """
SELECT g.id, c.ledger_id, c.head_hash, c.sealed_count, COALESCE(s.n, 0), t.hash
  FROM ledger_ledger g
  LEFT JOIN ledger_ledgerchain c ON c.ledger_id = g.id
  LEFT JOIN (SELECT ledger_id, COUNT(*) AS n, MAX(chain_index) AS last_index FROM ledger_entryseal
              GROUP BY ledger_id) s ON s.ledger_id = g.id
  LEFT JOIN ledger_entryseal t ON t.ledger_id = g.id AND t.chain_index = s.last_index
 WHERE {ledgers}
 ORDER BY g.id
"""

# Each seal's previous hash is the hash of the seal before it in its ledger's chain (the genesis hash for the first).
CHAIN_LINKS = """
SELECT ledger_id, entry_id, fiscal_year, number
  FROM (SELECT s.ledger_id, s.entry_id, s.fiscal_year, s.number, s.chain_index, s.previous_hash,
               LAG(s.hash) OVER (PARTITION BY s.ledger_id ORDER BY s.chain_index) AS prior
          FROM ledger_entryseal s WHERE {seals}) x
 WHERE previous_hash <> COALESCE(prior, %s)
 ORDER BY ledger_id, chain_index
"""

UNSEALED = """
SELECT e.ledger_id, COUNT(*) FROM ledger_journalentry e
 WHERE {entries} AND NOT EXISTS (SELECT 1 FROM ledger_entryseal s WHERE s.entry_id = e.id)
 GROUP BY e.ledger_id ORDER BY e.ledger_id
"""

SEAL_FIELDS = ("entry_id", "ledger_id", "fiscal_year", "number", "previous_hash", "hash")


def _amount(value) -> str:
    return f"{int(value):,}"


class _Verification:
    def __init__(self, ledger_ids: Sequence[int] | None, progress: Progress | None):
        self.ledger_ids = None if ledger_ids is None else sorted({int(i) for i in ledger_ids})
        self.progress = progress or (lambda step, done, total: None)
        self.checked: dict[str, int] = {}
        self.problems: list[str] = []
        self.info: list[str] = []
        self.ledgers: dict[int, str] = {}
        # id -> (ledger_id, code, currency, debit_total, credit_total)
        self.accounts: dict[int, tuple] = {}

    def run(self) -> None:
        steps = [
            ("counts", self.count),
            ("account totals", self.check_account_totals),
            ("reservations", self.check_reservations),
            ("day totals", self.check_day_totals),
            ("entries", self.check_entries),
            ("running balances", self.check_running_balances),
            ("numbering", self.check_numbering),
            ("hash chain", self.check_chain),
            ("trial balance", self.check_trial_balance),
            ("unsealed entries", self.count_unsealed),
        ]
        for name, step in steps:
            self.progress(name, 0, 1)
            step(name)

    # Plumbing.

    def where(self, column: str, via: str | None = None) -> str:
        """A filter on `column` to the ledgers verified; `via` names a table whose `ledger_id` decides."""
        if self.ledger_ids is None:
            return "1 = 1"
        ids = ", ".join(str(i) for i in self.ledger_ids) or "NULL"
        if via:
            # Only this module's column and table names and int() ids go in: nothing a caller typed.
            return f"{column} IN (SELECT id FROM {via} WHERE ledger_id IN ({ids}))"  # noqa: S608
        return f"{column} IN ({ids})"

    def rows(self, statement: str, params: Sequence | None = None) -> list[tuple]:
        filters = {
            "ledgers": self.where("g.id"),
            "accounts": self.where("a.ledger_id"),
            "entries": self.where("e.ledger_id"),
            "seals": self.where("s.ledger_id"),
            "holds": self.where("h.ledger_id"),
            "lines": self.where("l.account_id", via="ledger_account"),
            "entry_lines": self.where("l.entry_id", via="ledger_journalentry"),
            "days": self.where("d.account_id", via="ledger_account"),
        }
        with connection.cursor() as cur:
            cur.execute(statement.format(**filters), params)
            return cur.fetchall()

    def report(self, rows: Sequence, describe: Callable[[tuple], str], kind: str) -> None:
        self.problems.extend(describe(row) for row in rows[:LISTED_PER_CHECK])
        if len(rows) > LISTED_PER_CHECK:
            self.problems.append(f"… and {len(rows) - LISTED_PER_CHECK:,} more {kind} not listed")

    def ledger(self, ledger_id: int) -> str:
        return f"ledger {self.ledgers.get(ledger_id, f'#{ledger_id}')}"

    def account(self, account_id: int) -> str:
        ledger_id, code, *_ = self.accounts.get(account_id, (None, f"#{account_id}"))
        return f"{self.ledger(ledger_id)}, account {code}" if ledger_id is not None else f"account {code}"

    # The checks.

    def count(self, step: str) -> None:
        ledgers = self.rows("SELECT g.id, g.code FROM ledger_ledger g WHERE {ledgers} ORDER BY g.id")
        self.ledgers = dict(ledgers)
        self.accounts = {
            row[0]: row[1:] for row in self.rows(
                "SELECT a.id, a.ledger_id, a.code, a.currency, a.debit_total, a.credit_total FROM ledger_account a "
                "WHERE {accounts} ORDER BY a.id"
            )
        }
        [(entries, lines, seals, holds, days)] = self.rows(COUNTS)
        self.checked = {
            "ledgers": len(self.ledgers), "accounts": len(self.accounts), "entries": entries, "lines": lines,
            "seals": seals, "holds": holds, "account_days": days,
        }
        self.progress(step, 1, 1)

    def check_account_totals(self, step: str) -> None:
        def describe(row):
            account_id, debit, credit, line_debit, line_credit = row
            return (f"{self.account(account_id)}: stored totals debit {_amount(debit)} / credit {_amount(credit)} "
                    f"differ from its lines' sums {_amount(line_debit)} / {_amount(line_credit)}")

        self.report(self.rows(ACCOUNT_TOTALS), describe, "accounts with wrong stored totals")
        self.progress(step, 1, 1)

    def check_reservations(self, step: str) -> None:
        def describe_account(row):
            account_id, pending_debit, pending_credit, held_debit, held_credit = row
            return (f"{self.account(account_id)}: stored reservations debit {_amount(pending_debit)} / credit "
                    f"{_amount(pending_credit)} differ from what open holds reserve {_amount(held_debit)} / "
                    f"{_amount(held_credit)}")

        def describe_hold(row):
            hold_id, ledger_id, status, amount, remaining, posted = row
            return (f"{self.ledger(ledger_id)}, hold #{hold_id} ({status}): reserved {_amount(amount)}, but "
                    f"{_amount(posted)} was posted from it and {_amount(remaining)} remains")

        self.report(self.rows(RESERVATIONS), describe_account, "accounts with wrong reservations")
        self.report(self.rows(HOLD_AMOUNTS), describe_hold, "holds that do not add up")
        self.progress(step, 1, 1)

    def check_day_totals(self, step: str) -> None:
        def describe(row):
            account_id, day, line_debit, line_credit, day_debit, day_credit, day_rows = row
            if not day_rows:
                return (f"{self.account(account_id)}: lines on {day} (debit {_amount(line_debit)} / credit "
                        f"{_amount(line_credit)}) have no day total")
            return (f"{self.account(account_id)}: day total of {day} is debit {_amount(day_debit)} / credit "
                    f"{_amount(day_credit)}, its lines sum to {_amount(line_debit)} / {_amount(line_credit)}")

        self.report(self.rows(DAY_TOTALS), describe, "wrong day totals")
        self.progress(step, 1, 1)

    def check_entries(self, step: str) -> None:
        def describe(row):
            (entry_id, ledger_id, lines, min_ledger, max_ledger, bad_currency, bad_side, unbalanced, redated,
             unknown_account) = row
            faults = []
            if lines < 2:
                faults.append(f"has {lines} line{'' if lines == 1 else 's'}; an entry needs at least two")
            if lines and (min_ledger != ledger_id or max_ledger != ledger_id):
                faults.append("uses an account of another ledger")
            if bad_currency:
                faults.append(f"has {bad_currency} line(s) in a currency other than their account's")
            if bad_side:
                faults.append(f"has {bad_side} line(s) without exactly one positive side")
            if unbalanced:
                faults.append("does not balance: debits and credits differ")
            if redated:
                faults.append("its lines carry another effective date than the entry")
            if unknown_account:
                faults.append(f"has {unknown_account} line(s) on an account that does not exist")
            return f"{self.ledger(ledger_id)}, entry #{entry_id}: {'; '.join(faults)}"

        def describe_orphans(row):
            entry_id, lines = row
            return f"{lines} line(s) belong to entry #{entry_id}, which does not exist"

        def describe_missing(row):
            entry_id, ledger_id, *missing = row
            named = [what for what, gone in zip(procedures.MISSING_KEYS, missing, strict=True) if gone]
            return f"{self.ledger(ledger_id)}, entry #{entry_id} names a {' and a '.join(named)} that does not exist"

        self.report(self.rows(ENTRY_SHAPE), describe, "malformed entries")
        self.report(self.rows(ORPHAN_LINES), describe_orphans, "entries missing under their lines")
        self.report(self.rows(missing_keys_query()), describe_missing, "entries naming what does not exist")
        self.progress(step, 1, 1)

    def check_running_balances(self, step: str) -> None:
        def describe(row):
            account_id, line_id, entry_id, stored, running, wrong = row
            more = f" ({wrong:,} lines of this account differ)" if wrong > 1 else ""
            return (f"{self.account(account_id)}: line #{line_id} (entry #{entry_id}) stores balance after "
                    f"{_amount(stored)}, but its lines run to {_amount(running)}{more}")

        self.report(self.rows(RUNNING_BALANCES), describe, "accounts with wrong running balances")
        self.progress(step, 1, 1)

    def check_numbering(self, step: str) -> None:
        def describe_number(row):
            ledger_id, year, previous, number = row
            where = f"{self.ledger(ledger_id)}, fiscal year {year}"
            if number <= previous:  # ordered by number, so a repeat (or a 0 first)
                return f"{where}: entry number {number} is used twice" if number else f"{where}: entry number 0"
            missing = f"{previous + 1}" if number == previous + 2 else f"{previous + 1}–{number - 1}"
            return f"{where}: entry number(s) {missing} are missing; numbers must run 1, 2, 3… without gaps"

        def describe_index(row):
            ledger_id, previous, index = row
            if index <= previous:
                return f"{self.ledger(ledger_id)}: chain index {index} is used twice or out of range"
            return f"{self.ledger(ledger_id)}: seal chain skips from index {previous} to {index}"

        self.report(self.rows(NUMBER_GAPS), describe_number, "numbering gaps")
        self.report(self.rows(CHAIN_GAPS), describe_index, "chain index gaps")
        for ledger_id, chain_ledger, head, sealed_count, seals, last_hash in self.rows(CHAIN_HEADS):
            where = self.ledger(ledger_id)
            if chain_ledger is None:
                if seals:
                    self.problems.append(f"{where}: has {seals:,} seals but no chain head")
                continue
            if sealed_count != seals:
                self.problems.append(f"{where}: chain head counts {sealed_count:,} sealed entries, there are {seals:,}")
            if head != (last_hash or sealing.GENESIS_HASH):
                self.problems.append(f"{where}: chain head hash {head[:12]}… is not the last seal's hash")
        self.progress(step, 1, 1)

    def check_chain(self, step: str) -> None:
        def describe_link(row):
            ledger_id, entry_id, year, number = row
            return (f"{self.ledger(ledger_id)}, entry #{entry_id} ({year}-{number:06d}): the chain is broken before "
                    "it: its previous hash is not the hash of the seal before it")

        self.report(self.rows(CHAIN_LINKS, [sealing.GENESIS_HASH]), describe_link, "broken chain links")
        total, found, seen = self.checked["seals"], 0, 0
        for item in self.recomputed_seals():
            if isinstance(item, int):
                seen += item
                self.progress(step, min(seen, total), total)
                continue
            found += 1
            if found <= LISTED_PER_CHECK:
                self.problems.append(item)
        if found > LISTED_PER_CHECK:
            self.problems.append(f"… and {found - LISTED_PER_CHECK:,} more seals whose hash does not match")
        self.progress(step, total, total)

    def recomputed_seals(self) -> Iterator[str | int]:
        """Recompute every seal's hash from its entry and lines as they are now, CHAIN_CHUNK seals at a time.

        The links between seals are checked in chain order by CHAIN_LINKS; given those, each seal's hash depends
        only on its own stored previous hash, so seals are visited in entry-id order: each chunk is one id range,
        and its entries and lines come from one index range scan each, whatever the ledger and however the chain
        orders them. Yields a sentence per seal that does not match, and after each chunk the number of seals.
        """
        seals = EntrySeal.objects.order_by("entry_id")
        entries = JournalEntry.objects.order_by()
        lines = JournalLine.objects.order_by("entry_id", "id")
        if self.ledger_ids is not None:
            seals = seals.filter(ledger_id__in=self.ledger_ids)
            entries = entries.filter(ledger_id__in=self.ledger_ids)
            lines = lines.filter(entry__ledger_id__in=self.ledger_ids)
        after = 0
        while chunk := list(seals.filter(entry_id__gt=after).values_list(*SEAL_FIELDS)[:CHAIN_CHUNK]):
            first, after = chunk[0][0], chunk[-1][0]
            # The same values_list calls as the sealer's, so every value hashes exactly as it did then.
            fields = {row[0]: row for row in
                      entries.filter(id__gte=first, id__lte=after).values_list(*sealing.ENTRY_FIELDS)}
            legs: dict[int, list[tuple]] = defaultdict(list)
            for row in lines.filter(entry_id__gte=first, entry_id__lte=after).values_list(*sealing.LINE_FIELDS):
                legs[row[0]].append(row)
            for entry_id, ledger_id, year, number, previous, stored in chunk:
                label = f"{self.ledger(ledger_id)}, entry #{entry_id} ({year}-{number:06d})"
                entry = fields.get(entry_id)
                if entry is None:
                    yield f"{label}: the sealed entry is missing"
                    continue
                if entry[1] != ledger_id or entry[2].year != year:
                    yield f"{label}: sealed under another ledger or fiscal year than the entry's"
                if sealing.entry_digest(previous, year, number, entry, legs.get(entry_id, ())) != stored:
                    yield f"{label}: its fields or lines no longer match its seal's hash"
            yield len(chunk)

    def check_trial_balance(self, step: str) -> None:
        # Summed in Python: SQLite's SUM of integers raises on overflow past 2⁶³, a ledger's column total may not.
        sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
        for ledger_id, _code, currency, debit, credit in self.accounts.values():
            pair = sums[(ledger_id, currency)]
            pair[0] += debit
            pair[1] += credit
        for (ledger_id, currency), (debit, credit) in sorted(sums.items()):
            if debit != credit:
                self.problems.append(
                    f"{self.ledger(ledger_id)}: trial balance in {currency} does not balance: debits "
                    f"{_amount(debit)}, credits {_amount(credit)}"
                )
        self.progress(step, 1, 1)

    def count_unsealed(self, step: str) -> None:
        self.checked["unsealed_entries"] = 0
        for ledger_id, count in self.rows(UNSEALED):
            self.checked["unsealed_entries"] += count
            self.info.append(f"{self.ledger(ledger_id)}: {count:,} entr{'y is' if count == 1 else 'ies are'} "
                             "not sealed yet")
        self.progress(step, 1, 1)
