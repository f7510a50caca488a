"""The posting engine behind every service that writes entries: check, lock, write, keep stored balances.

One code path posts one entry or a thousand: `post_entries()` takes normalised specs (`normalise()` has checked
each one's shape: two lines or more, one positive side per line, balanced per currency) and, in the caller's
transaction:
- on PostgreSQL, hands them to the `ledger_post` procedure as one document, an array per field, or a single entry
  to the lean `ledger_post_entry` (`apps.ledger.procedures`): either locks, checks and writes in one call, and
  its refusals come back as the typed errors below;
- on SQLite, answers repeated idempotency keys, locks nothing (the database has one writer), checks the accounts,
  periods and limits here, and writes with a few multi-row statements.
Both refuse the same faults in the same order, with the same messages (`refusal()`): per entry, a reused
idempotency key, an unknown ledger, a closed year, an unknown reversed entry, hold or posting user; then per line,
an unknown, inactive, other ledger's or other currency's account; then per account, a total past 64 bits or a
limit that would break.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import DatabaseError, IntegrityError, connection
from django.db.models import signals
from django.db.models.base import ModelState
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
    LedgerError,
    LimitExceeded,
    PeriodClosed,
    UnbalancedEntry,
)
from .models import DEBIT_NORMAL_TYPES, Account, Hold, JournalEntry
from .procedures import REFUSAL_SQLSTATE

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


@dataclass(slots=True)
class NormalLine:
    account_id: int
    debit: int
    credit: int
    currency: str
    party: str
    metadata: Mapping


@dataclass(slots=True)
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


def normalise(spec: EntrySpec, index: int | None = None) -> NormalEntry:
    """Check one spec's shape and turn Money into minor units. Raises a typed error naming the field at fault
    (`entries[<index>].…` for an entry of a batch). The names are only spelled out for an error: a batch
    normalises thousands of lines."""
    if len(spec.lines) < 2:
        raise refusal({"kind": "few_lines"}, prefix=_batch_prefix(index))
    lines: list[NormalLine] = []
    sums: dict[str, list[int]] = {}
    for i, line in enumerate(spec.lines):
        is_debit = line.debit is not None
        money = line.debit if is_debit else line.credit
        if money is None or (is_debit and line.credit is not None):
            raise InvalidEntry("a line carries a debit or a credit, exactly one of them",
                               field=f"{_batch_prefix(index)}lines[{i}]")
        minor = _amount(money, index, i)
        currency = money.currency.code
        lines.append(NormalLine(line.account_id, minor if is_debit else 0, 0 if is_debit else minor, currency,
                                line.party, dict(line.metadata)))
        sides = sums.get(currency) or sums.setdefault(currency, [0, 0])
        sides[not is_debit] += minor
    for currency, (debits, credits) in sums.items():
        if debits != credits:
            raise refusal({"kind": "unbalanced", "debit": debits, "credit": credits, "currency": currency},
                          prefix=_batch_prefix(index))
    # The payload hash only serves to compare a repeated idempotency key's request with the first one.
    return NormalEntry(spec, lines, payload_hash(spec, lines) if spec.idempotency_key else "")


def _batch_prefix(index: int | None) -> str:
    return f"entries[{index}]." if index is not None else ""


def _amount(money: Money, index: int | None, line: int) -> int:
    try:
        minor = to_minor(money)
    except MoneyPrecisionError as exc:
        raise InvalidEntry(str(exc), field=_amount_field(index, line)) from exc
    if minor > MAX_AMOUNT:
        raise InvalidEntry(f"amounts above {MAX_AMOUNT:,} cannot be stored", field=_amount_field(index, line))
    if minor <= 0:
        raise InvalidEntry("amounts must be positive; use the other side instead of a sign",
                           field=_amount_field(index, line))
    return minor


def _amount_field(index: int | None, line: int) -> str:
    return f"{_batch_prefix(index)}lines[{line}].amount"


def payload_hash(spec: EntrySpec, lines: Iterable[NormalLine]) -> str:
    payload = [
        spec.ledger_id, spec.effective_date.isoformat(), spec.memo, spec.reference, spec.reverses_id, spec.hold_id,
        [[ln.account_id, ln.debit, ln.credit, ln.currency, ln.party] for ln in lines],
    ]
    return hashlib.sha256(json.dumps(payload, separators=(",", ":")).encode()).hexdigest()


def refusal(fault: Mapping, *, prefix: str = "") -> LedgerError:
    """The typed error for a fault found by either engine: `kind` and its facts, as the posting procedure reports
    them. `prefix` names the entry in a batch (`entries[3].`); `fault["line"]` is the line's index in its entry."""
    kind = fault["kind"]
    line = f"{prefix}lines[{fault.get('line')}]"
    code = fault.get("code")
    if kind == "reused_key":
        return IdempotencyConflict(f"idempotency key {fault['key']!r} was already used for a different entry "
                                   f"(#{fault['existing']})", field="idempotency_key")
    if kind == "no_ledger":
        return InvalidEntry(f"ledger {fault['ledger']} does not exist", field="ledger")
    if kind == "closed":
        return PeriodClosed(
            gettext("Fiscal year %(year)s of this ledger is closed; post in an open period or ask an administrator "
                    "to reopen it.") % {"year": fault["year"]}, field=f"{prefix}effective_date",
        )
    if kind == "no_reversed_entry":
        return InvalidEntry(f"entry #{fault['reverses']} to reverse does not exist", field="entry")
    if kind == "no_hold":
        return InvalidEntry(f"hold #{fault['hold']} does not exist", field="hold")
    if kind == "no_user":
        return InvalidEntry(f"user #{fault['user']} does not exist; entries are posted by an existing user or a task",
                            field="actor")
    if kind == "few_lines":
        return InvalidEntry("an entry needs at least two lines", field=f"{prefix}lines")
    if kind == "unbalanced":
        return UnbalancedEntry(f"debits ({fault['debit']:,}) and credits ({fault['credit']:,}) differ in "
                               f"{fault['currency']}", field=f"{prefix}lines")
    if kind == "no_account":
        return InvalidAccount(f"account {fault['account']} does not exist", field=f"{line}.account")
    if kind == "inactive":
        return InvalidAccount(f"account {code} is inactive", field=f"{line}.account")
    if kind == "other_ledger":
        return InvalidAccount(f"account {code} belongs to another ledger", field=f"{line}.account")
    if kind == "currency":
        return CurrencyMismatch(f"account {code} holds {fault['holds']}, not {fault['currency']}", field=line)
    if kind == "overflow":
        return InvalidEntry(f"account {code}'s totals would pass {MAX_AMOUNT:,}, the most the ledger can store",
                            field="lines")
    if kind == "limit":
        return LimitExceeded(f"account {code} may not go below zero: {fault['available']:,} available, this would "
                             f"leave {fault['after']:,}", field="lines")
    return InvalidEntry(f"the ledger refused the entry ({kind})")


def _prefix(entry: int, entries: Sequence) -> str:
    return f"entries[{entry}]." if len(entries) > 1 else ""


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


def lock_for_posting(ledger_ids: Iterable[int], account_ids: Iterable[int]
                     ) -> tuple[dict[int, list[int]], dict[int, LockedAccount]]:
    """Lock accounts (FOR UPDATE, in id order: the order every writer uses, so no two writers deadlock), then read
    their ledgers' closed years (after the locks: a period close locks every account of its ledger, so a close
    that committed while this waited is seen). Returns the closed years per ledger and the locked accounts."""
    accounts = {row[0]: LockedAccount(*row) for row in sql.lock_accounts(account_ids)}
    closed = sql.read_closed_years({*ledger_ids, *(a.ledger_id for a in accounts.values())})
    return closed, accounts


def lock_ledger(ledger_id: int, *, with_accounts: bool = False) -> list[int]:
    """Lock a ledger row FOR UPDATE (closing or reopening a year; postings never lock it) and return its closed
    years. `with_accounts` then locks every account of the ledger too, as a close does: postings in flight finish
    first, and later ones wait for the close and then see the year closed."""
    closed = sql.read_closed_years([ledger_id], lock=True)
    if ledger_id not in closed:
        raise refusal({"kind": "no_ledger", "ledger": ledger_id})
    if with_accounts:
        sql.lock_ledger_accounts(ledger_id)
    return closed[ledger_id]


@dataclass(frozen=True)
class KnownKeys:
    """Which of the reversed entries and holds that entries name exist, and whether the posting user does (no
    foreign keys check them: see `apps.ledger.procedures`)."""

    entries: set[int]
    holds: set[int]
    user: int | None
    user_exists: bool

    @classmethod
    def of(cls, entries: Sequence[NormalEntry], actor: Actor) -> KnownKeys:
        reverses = {e.spec.reverses_id for e in entries if e.spec.reverses_id}
        holds = {e.spec.hold_id for e in entries if e.spec.hold_id}
        return cls(
            entries=set(JournalEntry.objects.filter(pk__in=reverses).values_list("pk", flat=True)),
            holds=set(Hold.objects.filter(pk__in=holds).values_list("pk", flat=True)),
            user=actor.user_id,
            user_exists=actor.user_id is None or get_user_model().objects.filter(pk=actor.user_id).exists(),
        )

    def fault(self, spec: EntrySpec) -> dict | None:
        if spec.reverses_id and spec.reverses_id not in self.entries:
            return {"kind": "no_reversed_entry", "reverses": spec.reverses_id}
        if spec.hold_id and spec.hold_id not in self.holds:
            return {"kind": "no_hold", "hold": spec.hold_id}
        if not self.user_exists:
            return {"kind": "no_user", "user": self.user}
        return None


def check_accounts(entries: Sequence[NormalEntry], accounts: Mapping[int, LockedAccount], closed: Mapping,
                   existing: Mapping[str, JournalEntry] | None = None, keys: KnownKeys | None = None) -> None:
    """Refuse what the ledger's state forbids, in the posting procedure's order: first each entry's reused
    idempotency key, unknown ledger, closed year or (given `keys`) unknown reversed entry, hold or user, then
    each line's account."""
    existing = existing or {}
    for n, entry in enumerate(entries):
        spec = entry.spec
        found = existing.get(spec.idempotency_key or "")
        if found is not None:
            if found.payload_hash != entry.payload_hash:
                raise refusal({"kind": "reused_key", "key": spec.idempotency_key, "existing": found.pk})
            continue
        if spec.ledger_id not in closed:
            raise refusal({"kind": "no_ledger", "ledger": spec.ledger_id})
        if spec.effective_date.year in closed[spec.ledger_id]:
            raise refusal({"kind": "closed", "year": spec.effective_date.year}, prefix=_prefix(n, entries))
        if keys is not None and (fault := keys.fault(spec)) is not None:
            raise refusal(fault)
    for n, entry in enumerate(entries):
        if (entry.spec.idempotency_key or "") in existing:
            continue
        for i, line in enumerate(entry.lines):
            account = accounts.get(line.account_id)
            fault = {"line": i, "account": line.account_id, "currency": line.currency}
            if account is None:
                fault["kind"] = "no_account"
            elif not account.is_active:
                fault["kind"] = "inactive"
            elif account.ledger_id != entry.spec.ledger_id:
                fault["kind"] = "other_ledger"
            elif account.currency != line.currency:
                fault["kind"] = "currency"
            else:
                continue
            if account is not None:
                fault.update(code=account.code, holds=account.currency)
            raise refusal(fault, prefix=_prefix(n, entries))


def find_existing(entries: Sequence[NormalEntry]) -> dict[str, JournalEntry]:
    """Entries already posted under these specs' idempotency keys."""
    keys = [e.spec.idempotency_key for e in entries if e.spec.idempotency_key]
    if not keys:
        return {}
    return {je.idempotency_key: je for je in JournalEntry.objects.filter(idempotency_key__in=keys)}


def refuse_repeated_keys(entries: Sequence[NormalEntry]) -> None:
    seen: set[str] = set()
    for entry in entries:
        key = entry.spec.idempotency_key
        if key in seen:
            raise IdempotencyConflict(f"idempotency key {key!r} is given to two entries of this batch",
                                      field="idempotency_key")
        if key:
            seen.add(key)


def _entry_values(pk: int, e: NormalEntry, actor: Actor, now) -> tuple:
    """The entry's column values, in the model's field order (which sql.ENTRY_COLUMNS follows)."""
    spec = e.spec
    return (
        pk, spec.ledger_id, spec.effective_date, now, spec.memo, actor.user_id, actor.label, spec.reference,
        spec.idempotency_key, e.payload_hash, spec.reverses_id, spec.hold_id, spec.transfer_id, dict(spec.metadata),
    )


ENTRY_ATTNAMES = tuple(f.attname for f in JournalEntry._meta.concrete_fields)


def _entries(ids: Sequence[int], entries: Sequence[NormalEntry], actor: Actor, now) -> list[JournalEntry]:
    """The posted entries, as a query would load them (`Model.from_db`). Without `post_init` receivers the
    instances are filled in directly instead of field by field through `__init__`, which is most of the Python
    time of a batch of a thousand; the result is the same (`tests/ledger/test_posting.py` compares)."""
    alias = connection.alias
    if signals.post_init.has_listeners(JournalEntry):
        return [JournalEntry.from_db(alias, None, _entry_values(pk, e, actor, now))
                for pk, e in zip(ids, entries, strict=True)]
    posted = []
    for pk, e in zip(ids, entries, strict=True):
        entry = JournalEntry.__new__(JournalEntry)
        state = ModelState()
        state.adding, state.db = False, alias
        entry.__dict__.update(zip(ENTRY_ATTNAMES, _entry_values(pk, e, actor, now), strict=True), _state=state)
        posted.append(entry)
    return posted


class IdempotencyRace(Exception):
    """A concurrent transaction committed an entry with the same idempotency key first; retrying answers with it."""


def post_entries(entries: Sequence[NormalEntry], actor: Actor, *,
                 releases: Mapping[int, tuple[int, int]] | None = None) -> list[JournalEntry]:
    """Post normalised entries in the caller's transaction; returns one JournalEntry per spec, in order.

    A spec whose idempotency key was already used for the same payload returns the entry posted before; a key
    that a concurrent transaction is using at the same moment raises IdempotencyRace, which the services' retry
    turns into that answer. `releases` gives back reservations (a hold posted): account → (debit, credit).
    """
    refuse_repeated_keys(entries)
    try:
        if sql.is_postgres():
            return _post_with_procedure(entries, actor, releases or {})
        return _post_embedded(entries, actor, releases or {})
    except IntegrityError as exc:
        raise _integrity_error(exc) from exc


# --- PostgreSQL: one call of the posting procedure --------------------------------------------------------------

def document(entries: Sequence[NormalEntry], releases: Mapping[int, tuple[int, int]]) -> sql.Document:
    """The procedure's document: the entries' and lines' fields as arrays; fields left at their default are left
    out."""
    doc = sql.Document(releases=[(a, d, c) for a, (d, c) in sorted(releases.items())])
    ledgers, dates, extras = doc.entry_ledger, doc.entry_date, doc.entry_extras
    line_entry, accounts, debits, credits, currencies = (
        doc.line_entry, doc.line_account, doc.line_debit, doc.line_credit, doc.line_currency)
    for n, e in enumerate(entries):
        spec = e.spec
        ledgers.append(spec.ledger_id)
        dates.append(spec.effective_date)
        for name, value in entry_extras(e).items():
            extras.setdefault(name, {})[n] = value
        for ln in e.lines:
            if ln.party or ln.metadata:  # rare: most lines of a batch skip the call
                for name, value in line_extras(ln).items():
                    doc.line_extras.setdefault(name, {})[len(line_entry)] = value
            line_entry.append(n + 1)
            accounts.append(ln.account_id)
            debits.append(ln.debit)
            credits.append(ln.credit)
            currencies.append(ln.currency)
    return doc


def one_entry(e: NormalEntry) -> sql.OneEntry:
    """The lean procedure's arguments for one entry: its fields left at their default are left out."""
    lines = e.lines
    entry = sql.OneEntry(
        ledger=e.spec.ledger_id, effective_date=e.spec.effective_date, **entry_extras(e),
        line_account=[ln.account_id for ln in lines], line_debit=[ln.debit for ln in lines],
        line_credit=[ln.credit for ln in lines], line_currency=[ln.currency for ln in lines],
    )
    set_on_lines = [line_extras(ln) for ln in lines]
    if any(set_on_lines):
        entry.line_party = [fields.get("party") for fields in set_on_lines]
        entry.line_metadata = [fields.get("metadata") for fields in set_on_lines]
    return entry


def entry_extras(e: NormalEntry) -> dict[str, object]:
    """The entry's fields that are not at their default, by `sql.ENTRY_EXTRAS` name (metadata as JSON text)."""
    spec = e.spec
    if not (spec.memo or spec.reference or spec.idempotency_key or spec.reverses_id or spec.hold_id
            or spec.transfer_id or spec.metadata):
        return {}  # most entries: nothing to look at one by one
    values = {
        "memo": spec.memo, "reference": spec.reference, "key": spec.idempotency_key,
        "hash": e.payload_hash if spec.idempotency_key else None, "reverses": spec.reverses_id,
        "hold": spec.hold_id, "transfer": str(spec.transfer_id) if spec.transfer_id else None,
        "metadata": json.dumps(spec.metadata) if spec.metadata else None,
    }
    return {name: value for name, value in values.items() if value}


def line_extras(line: NormalLine) -> dict[str, object]:
    """The line's fields that are not at their default, by `sql.LINE_EXTRAS` name (metadata as JSON text)."""
    return {name: value for name, value in (
        ("party", line.party), ("metadata", json.dumps(line.metadata) if line.metadata else None)) if value}


def _post_with_procedure(entries: Sequence[NormalEntry], actor: Actor,
                         releases: Mapping[int, tuple[int, int]]) -> list[JournalEntry]:
    now = timezone.now()
    try:
        if len(entries) == 1 and not releases:  # most postings: the lean procedure, a third faster
            posted, again = sql.post_entry(one_entry(entries[0]), now, actor.user_id, actor.label)
            ids, replayed = [posted], [1] if again else []
        else:
            ids, replayed = sql.post(document(entries, releases), now, actor.user_id, actor.label)
    except DatabaseError as exc:
        fault = _procedure_fault(exc)
        if fault is None:
            raise
        raise _located(fault, entries) from exc
    posted = _entries(ids, entries, actor, now)
    if replayed:
        earlier = JournalEntry.objects.in_bulk([ids[i - 1] for i in replayed])
        for i in replayed:
            posted[i - 1] = earlier[ids[i - 1]]
    return posted


def _procedure_fault(exc: DatabaseError) -> dict | None:
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) != REFUSAL_SQLSTATE:
        return None
    return json.loads(cause.diag.message_detail)


def _located(fault: dict, entries: Sequence[NormalEntry]) -> LedgerError:
    """The procedure numbers the document's entries and lines from 1; errors name a line by its index in its entry."""
    if fault.get("line") is not None:
        entry, fault["line"] = _line_in_entry(fault["line"], entries)
    elif fault.get("entry") is not None:
        entry = fault["entry"] - 1
    else:
        return refusal(fault)
    return refusal(fault, prefix=_prefix(entry, entries))


def _line_in_entry(line: int, entries: Sequence[NormalEntry]) -> tuple[int, int]:
    """(entry index, index in that entry) of the document's `line`-th line (from 1)."""
    for n, entry in enumerate(entries):
        if line <= len(entry.lines):
            return n, line - 1
        line -= len(entry.lines)
    raise ValueError(f"the document has no line {line}")


# --- SQLite: checked here, written with a few statements -------------------------------------------------------

def _post_embedded(entries: Sequence[NormalEntry], actor: Actor,
                   releases: Mapping[int, tuple[int, int]]) -> list[JournalEntry]:
    existing = find_existing(entries)
    closed, accounts = lock_for_posting(
        {e.spec.ledger_id for e in entries}, {ln.account_id for e in entries for ln in e.lines} | set(releases)
    )
    check_accounts(entries, accounts, closed, existing, KnownKeys.of(entries, actor))
    fresh = [e for e in entries if (e.spec.idempotency_key or "") not in existing]
    posted: dict[int, JournalEntry] = {}
    if fresh:
        rows = write_entries(fresh, sql.next_entry_ids(len(fresh)), actor, accounts, releases)
        posted = {id(e): row for e, row in zip(fresh, rows, strict=True)}
    return [posted.get(id(e)) or existing[e.spec.idempotency_key or ""] for e in entries]


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
    deltas: dict[int, list[int]] = {aid: [0, 0] for aid in accounts}
    days: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    running = {aid: a.debit_total - a.credit_total for aid, a in accounts.items()}
    entry_rows, line_rows = [], []
    for pk, e in zip(ids, entries, strict=True):
        spec = e.spec
        row = _entry_values(pk, e, actor, now)
        entry_rows.append((*row[:12], row[12].hex if row[12] else None, sql.to_json(row[13])))
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
    return _entries(ids, entries, actor, now)


def _check_limits(
    accounts: Mapping[int, LockedAccount], deltas: Mapping[int, list[int]], releases: Mapping[int, tuple[int, int]]
) -> None:
    for aid, (d, c) in sorted(deltas.items()):
        account = accounts[aid]
        if account.debit_total + d > MAX_AMOUNT or account.credit_total + c > MAX_AMOUNT:
            raise refusal({"kind": "overflow", "code": account.code})
        if not account.non_negative or not (d or c or aid in releases):
            continue
        rd, rc = releases.get(aid, (0, 0))
        after = available_after(account, d, c, rd, rc)
        if after < 0:
            raise refusal({"kind": "limit", "code": account.code, "available": account.available_minor,
                           "after": after})


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


def _integrity_error(exc: IntegrityError) -> Exception:
    # PostgreSQL names the constraint (its message also quotes the whole statement); SQLite names the columns.
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    text = (constraint or str(exc)).lower()
    if "reverses" in text:
        return AlreadyReversed("this entry has already been reversed", field="entry")
    if "idempotency_key" in text:
        return IdempotencyRace(str(exc))
    return InvalidEntry(f"the database refused the entry: {exc}")
