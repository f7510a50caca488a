"""The posting engine behind every service that writes entries: validate, lock, insert, keep stored balances.

One code path posts one entry or a thousand: `post_entries()` takes specs, and in the caller's transaction
1. checks each spec (two lines or more, one positive side per line, balanced per currency) — writes nothing;
2. answers repeated idempotency keys with the entry already posted (or refuses a different payload);
3. locks the ledgers (KEY SHARE, which a period close waits for) and then the accounts (FOR UPDATE) in primary-key
   order, so concurrent postings queue instead of losing updates or deadlocking;
4. inserts entries and lines with a handful of multi-row statements, and adds to the stored account totals and
   the per-day totals in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, connection
from django.utils import timezone
from django.utils.translation import gettext
from moneyed import Money

from apps.core.actors import actor_identity
from apps.core.money import MoneyPrecisionError, to_minor

from . import sql
from .exceptions import (
    AlreadyReversed,
    CurrencyMismatch,
    IdempotencyConflict,
    InvalidAccount,
    InvalidEntry,
    LimitExceeded,
    PeriodClosed,
    UnbalancedEntry,
)
from .models import DEBIT_NORMAL_TYPES, Account, JournalEntry

# SQLite allows 32,766 bound variables per statement; PostgreSQL 65,535. Stay well under both.
MAX_PARAMS = 30_000


# Amounts and stored totals are 64-bit integers of the minor unit: ₩9.2 × 10¹⁸ at most.
MAX_AMOUNT = 2**63 - 1


@dataclass(frozen=True)
class Line:
    """One leg of an entry: a positive debit or a positive credit on an account."""

    account: Account | int
    debit: Money | None = None
    credit: Money | None = None
    party: str = ""
    metadata: Mapping = field(default_factory=dict)

    @property
    def account_id(self) -> int:
        return self.account.pk if isinstance(self.account, Account) else int(self.account)


def debit(account: Account | int, amount: Money, *, party: str = "", metadata: Mapping | None = None) -> Line:
    return Line(account=account, debit=amount, party=party, metadata=metadata or {})


def credit(account: Account | int, amount: Money, *, party: str = "", metadata: Mapping | None = None) -> Line:
    return Line(account=account, credit=amount, party=party, metadata=metadata or {})


@dataclass(frozen=True)
class EntrySpec:
    ledger_id: int
    effective_date: date
    lines: Sequence[Line]
    memo: str = ""
    reference: str = ""
    idempotency_key: str | None = None
    metadata: Mapping = field(default_factory=dict)
    reverses_id: int | None = None
    hold_id: int | None = None
    transfer_id: uuid.UUID | None = None


@dataclass
class NormalLine:
    account_id: int
    debit: int
    credit: int
    currency: str
    party: str
    metadata: Mapping


@dataclass
class NormalEntry:
    spec: EntrySpec
    lines: list[NormalLine]
    payload_hash: str


@dataclass(frozen=True)
class Actor:
    """Who posts: a user, or a task / command named by a label."""

    user_id: int | None
    label: str

    @classmethod
    def of(cls, actor) -> Actor:
        if isinstance(actor, Actor):
            return actor
        if (identity := actor_identity(actor)) is None:
            raise InvalidEntry("an entry needs an actor: a signed-in user or a task label", field="actor")
        user, label = identity
        return cls(user_id=user.pk if user is not None else None, label=label)


def normalise(spec: EntrySpec, index: int = 0) -> NormalEntry:
    """Check one spec's shape and turn Money into minor units. Raises a typed error naming the field at fault."""
    prefix = f"entries[{index}]." if index else ""
    if len(spec.lines) < 2:
        raise InvalidEntry("an entry needs at least two lines", field=f"{prefix}lines")
    lines: list[NormalLine] = []
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i, line in enumerate(spec.lines):
        where = f"{prefix}lines[{i}]"
        if (line.debit is None) == (line.credit is None):
            raise InvalidEntry("a line carries a debit or a credit, exactly one of them", field=where)
        money = line.debit if line.debit is not None else line.credit
        try:
            minor = to_minor(money)
        except MoneyPrecisionError as exc:
            raise InvalidEntry(str(exc), field=f"{where}.amount") from exc
        if minor > MAX_AMOUNT:
            raise InvalidEntry(f"amounts above {MAX_AMOUNT:,} cannot be stored", field=f"{where}.amount")
        if minor <= 0:
            raise InvalidEntry("amounts must be positive; use the other side instead of a sign",
                               field=f"{where}.amount")
        currency = str(money.currency)
        is_debit = line.debit is not None
        lines.append(
            NormalLine(line.account_id, minor if is_debit else 0, 0 if is_debit else minor, currency, line.party,
                       dict(line.metadata))
        )
        sums[currency][0 if is_debit else 1] += minor
    for currency, (debits, credits) in sums.items():
        if debits != credits:
            raise UnbalancedEntry(
                f"debits ({debits:,}) and credits ({credits:,}) differ in {currency}", field=f"{prefix}lines"
            )
    # The payload hash only serves to compare a repeated idempotency key's request with the first one.
    return NormalEntry(spec, lines, payload_hash(spec, lines) if spec.idempotency_key else "")


def payload_hash(spec: EntrySpec, lines: Iterable[NormalLine]) -> str:
    payload = [
        spec.ledger_id, spec.effective_date.isoformat(), spec.memo, spec.reference, spec.reverses_id, spec.hold_id,
        [[ln.account_id, ln.debit, ln.credit, ln.currency, ln.party] for ln in lines],
    ]
    return hashlib.sha256(json.dumps(payload, separators=(",", ":")).encode()).hexdigest()


@dataclass
class LockedAccount:
    """An account row as read under its lock: what posting checks, and the totals it adds to."""

    id: int
    ledger_id: int
    code: str
    type: str
    currency: str
    is_active: bool
    non_negative: bool
    debit_total: int
    credit_total: int
    pending_debit: int
    pending_credit: int

    @property
    def is_debit_normal(self) -> bool:
        return self.type in DEBIT_NORMAL_TYPES

    @property
    def available_minor(self) -> int:
        return available_after(self)


def lock_ledgers(ledger_ids: Iterable[int], *, exclusive: bool = False) -> dict[int, list[int]]:
    """Lock ledger rows in id order; return each ledger's closed fiscal years as read after the lock.

    Posting takes KEY SHARE (posters never wait for each other); a period close takes FOR UPDATE, so it waits for
    postings in flight and postings wait for it. Reading `closed_years` from the locked row itself guarantees that
    a posting sees a close that committed while it waited.
    """
    closed = sql.lock_ledgers(ledger_ids, exclusive=exclusive)
    for ledger_id in ledger_ids:
        if ledger_id not in closed:
            raise InvalidEntry(f"ledger {ledger_id} does not exist", field="ledger")
    return closed


def lock_for_posting(ledger_ids: Iterable[int], account_ids: Iterable[int], new_entries: int = 0
                     ) -> tuple[dict[int, list[int]], dict[int, LockedAccount], list[int]]:
    """Lock accounts (FOR UPDATE, in id order: the order every writer uses, so no two writers deadlock) and their
    ledgers; returns the closed years per ledger, the locked accounts and `new_entries` fresh entry ids."""
    rows, ids = sql.lock_for_posting(account_ids, new_entries)
    accounts = {row[0]: LockedAccount(*row[:-1]) for row in rows}
    closed = {row[1]: sql.closed_years(row[-1]) for row in rows}
    missing = set(ledger_ids) - set(closed)
    if missing:
        closed.update(lock_ledgers(missing))
    return closed, accounts, ids


def check_accounts(entries: Sequence[NormalEntry], accounts: Mapping[int, LockedAccount], closed: Mapping) -> None:
    for n, entry in enumerate(entries):
        prefix = f"entries[{n}]." if len(entries) > 1 else ""
        year = entry.spec.effective_date.year
        if year in closed.get(entry.spec.ledger_id, ()):
            raise PeriodClosed(
                gettext("Fiscal year %(year)s of this ledger is closed; post in an open period or ask an "
                        "administrator to reopen it.") % {"year": year}, field=f"{prefix}effective_date",
            )
        for i, line in enumerate(entry.lines):
            where = f"{prefix}lines[{i}].account"
            account = accounts.get(line.account_id)
            if account is None:
                raise InvalidAccount(f"account {line.account_id} does not exist", field=where)
            if not account.is_active:
                raise InvalidAccount(f"account {account.code} is inactive", field=where)
            if account.ledger_id != entry.spec.ledger_id:
                raise InvalidAccount(f"account {account.code} belongs to another ledger", field=where)
            if account.currency != line.currency:
                raise CurrencyMismatch(
                    f"account {account.code} holds {account.currency}, not {line.currency}", field=f"{prefix}lines[{i}]"
                )


def find_existing(entries: Sequence[NormalEntry]) -> dict[str, JournalEntry]:
    """Entries already posted under these specs' idempotency keys; a key reused for another payload is refused."""
    keys = [e.spec.idempotency_key for e in entries if e.spec.idempotency_key]
    if not keys:
        return {}
    found = {je.idempotency_key: je for je in JournalEntry.objects.filter(idempotency_key__in=keys)}
    for entry in entries:
        existing = found.get(entry.spec.idempotency_key or "")
        if existing is not None and existing.payload_hash != entry.payload_hash:
            raise IdempotencyConflict(
                f"idempotency key {existing.idempotency_key!r} was already used for a different entry "
                f"(#{existing.pk})", field="idempotency_key",
            )
    return found


def _entry_values(pk: int, e: NormalEntry, actor: Actor, now) -> tuple:
    """The entry's column values, in the model's field order (which sql.ENTRY_COLUMNS follows)."""
    spec = e.spec
    return (
        pk, spec.ledger_id, spec.effective_date, now, spec.memo, actor.user_id, actor.label, spec.reference,
        spec.idempotency_key, e.payload_hash, spec.reverses_id, spec.hold_id, spec.transfer_id, dict(spec.metadata),
    )


def write_entries(
    entries: Sequence[NormalEntry],
    ids: Sequence[int],
    actor: Actor,
    accounts: Mapping[int, LockedAccount],
    releases: Mapping[int, tuple[int, int]],
) -> list[JournalEntry]:
    """Write entries, lines, stored totals and day totals; refuse the whole write if a limit would break.

    Invariant: afterwards every account's stored totals equal the sums of its lines, and no limited account's
    balance less its reservations is below zero.
    """
    now = timezone.now()
    postgres = sql.is_postgres()
    deltas: dict[int, list[int]] = {aid: [0, 0] for aid in accounts}
    days: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    running = {aid: a.debit_total - a.credit_total for aid, a in accounts.items()}
    values, entry_rows, line_rows = [], [], []
    for pk, e in zip(ids, entries, strict=True):
        spec = e.spec
        row = _entry_values(pk, e, actor, now)
        values.append(row)
        transfer = row[12] if postgres or row[12] is None else row[12].hex
        entry_rows.append((*row[:12], transfer, sql.to_json(row[13])))
        for ln in e.lines:
            running[ln.account_id] += ln.debit - ln.credit
            delta = deltas[ln.account_id]
            delta[0] += ln.debit
            delta[1] += ln.credit
            day = days[(ln.account_id, spec.effective_date)]
            day[0] += ln.debit
            day[1] += ln.credit
            line_rows.append((
                pk, ln.account_id, ln.debit, ln.credit, ln.currency, ln.party, spec.effective_date,
                running[ln.account_id], sql.to_json(ln.metadata),
            ))
    _check_limits(accounts, deltas, releases)
    total_rows = [
        (aid, d, c, *releases.get(aid, (0, 0))) for aid, (d, c) in sorted(deltas.items()) if d or c or aid in releases
    ]
    day_rows = [(aid, day, d, c) for (aid, day), (d, c) in sorted(days.items())]
    sql.write_postings(entry_rows, line_rows, total_rows, day_rows)
    return [JournalEntry.from_db(connection.alias, None, row) for row in values]


def _check_limits(
    accounts: Mapping[int, LockedAccount], deltas: Mapping[int, list[int]], releases: Mapping[int, tuple[int, int]]
) -> None:
    for aid, (d, c) in deltas.items():
        account = accounts[aid]
        if account.debit_total + d > MAX_AMOUNT or account.credit_total + c > MAX_AMOUNT:
            raise InvalidEntry(f"account {account.code}'s totals would pass {MAX_AMOUNT:,}, the most the ledger "
                               "can store", field="lines")
        if not account.non_negative or not (d or c or aid in releases):
            continue
        rd, rc = releases.get(aid, (0, 0))
        after = available_after(account, d, c, rd, rc)
        if after < 0:
            raise LimitExceeded(
                f"account {account.code} may not go below zero: {account.available_minor:,} available, "
                f"this would leave {after:,}", field="lines",
            )


def available_after(account, debit: int = 0, credit: int = 0, pending_debit: int = 0,
                    pending_credit: int = 0, *, reserve: bool = False) -> int:
    """The account's balance less reservations after adding a posting and releasing (or, with `reserve`,
    adding) reservations."""
    sign = 1 if reserve else -1
    total_d, total_c = account.debit_total + debit, account.credit_total + credit
    pend_d, pend_c = account.pending_debit + sign * pending_debit, account.pending_credit + sign * pending_credit
    if account.is_debit_normal:
        return total_d - total_c - pend_c
    return total_c - total_d - pend_d


class IdempotencyRace(Exception):
    """A concurrent transaction committed an entry with the same idempotency key first; retrying answers with it."""


def post_entries(entries: Sequence[NormalEntry], actor: Actor, *,
                 releases: Mapping[int, tuple[int, int]] | None = None) -> list[JournalEntry]:
    """Post normalised entries in the caller's transaction; returns one JournalEntry per spec, in order.

    A spec whose idempotency key was already used for the same payload returns the entry posted before; a key
    that a concurrent transaction is using at the same moment raises IdempotencyRace, which the services' retry
    turns into that answer.
    """
    existing = find_existing(entries)
    fresh = [e for e in entries if (e.spec.idempotency_key or "") not in existing]
    posted: dict[int, JournalEntry] = {}
    if fresh:
        closed, accounts, ids = lock_for_posting(
            {e.spec.ledger_id for e in fresh}, {ln.account_id for e in fresh for ln in e.lines}, len(fresh)
        )
        check_accounts(fresh, accounts, closed)
        try:
            rows = write_entries(fresh, ids, actor, accounts, releases or {})
        except IntegrityError as exc:
            raise _integrity_error(exc) from exc
        posted = {id(e): row for e, row in zip(fresh, rows, strict=True)}
    return [posted.get(id(e)) or existing[e.spec.idempotency_key or ""] for e in entries]


def _integrity_error(exc: IntegrityError) -> Exception:
    text = str(exc).lower()
    if "reverses" in text:
        return AlreadyReversed("this entry has already been reversed", field="entry")
    if "idempotency_key" in text:
        return IdempotencyRace(str(exc))
    return InvalidEntry(f"the database refused the entry: {exc}")
