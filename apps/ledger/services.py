"""Every write to the ledger. Each service runs in one transaction, takes a required `actor` (a user, or a task
label), and is what views, admin actions, API views, tasks and commands call.

Invariants every service keeps: each entry balances per currency; posted entries and lines are never changed;
stored balances equal the sums of the lines; a limited account never goes below zero, reservations included; a
repeated idempotency key returns the first result and never posts twice.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from moneyed import Money

from apps.core.money import from_minor, to_minor
from apps.core.roles import is_fund_admin

from . import posting, sql
from .exceptions import (
    AlreadyReversed,
    HoldNotOpen,
    IdempotencyConflict,
    InvalidEntry,
    LimitExceeded,
    NotPermitted,
    PeriodClosed,
)
from .models import (
    Account,
    AccountType,
    FiscalPeriod,
    Hold,
    HoldLine,
    HoldStatus,
    JournalEntry,
    Ledger,
    PeriodEvent,
    PeriodStatus,
)
from .posting import Actor, EntrySpec, Line, credit, debit

__all__ = [
    "EntrySpec", "Line", "credit", "debit", "entry_post", "entries_post_batch", "entry_reverse", "hold_create",
    "hold_post", "hold_void", "interfund_transfer_post", "period_close", "period_reopen", "entry_spec",
]

T = TypeVar("T")
RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected
ATTEMPTS = 8


def retry_on_conflict(func: Callable[..., T] | None = None, *, one_statement: bool = False):
    """Run the service in its own transaction, retrying serialization failures, deadlocks and idempotency races a
    few times, so that such failures never reach the caller. Inside an outer transaction it cannot retry: it runs
    in a savepoint, so that a refusal leaves the outer transaction usable.

    `one_statement`: on PostgreSQL the service writes with a single call of the posting procedure, which is a
    transaction of its own outside `atomic` (one round trip, no BEGIN and COMMIT).
    """
    if func is None:
        return functools.partial(retry_on_conflict, one_statement=one_statement)

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> T:
        if connection.in_atomic_block:
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except posting.IdempotencyRace as exc:
                raise IdempotencyConflict(
                    "a concurrent request with the same idempotency key is being posted; retry to get its entry",
                    field="idempotency_key",
                ) from exc
        for attempt in range(ATTEMPTS):
            try:
                if one_statement and sql.is_postgres():
                    return func(*args, **kwargs)
                with transaction.atomic():
                    return func(*args, **kwargs)
            except (OperationalError, posting.IdempotencyRace) as exc:
                sqlstate = getattr(exc.__cause__, "sqlstate", None)
                retryable = isinstance(exc, posting.IdempotencyRace) or sqlstate in RETRYABLE_SQLSTATES
                if not retryable or attempt == ATTEMPTS - 1:
                    raise
                time.sleep(0.002 * 2**attempt)
        raise AssertionError("unreachable")

    return wrapper


def _seal_after_commit(ledger_ids: Sequence[int]) -> None:
    """In the embedded mode (no broker, no beat) entries are sealed as soon as they commit."""
    if settings.LEDGER_SEAL_ON_COMMIT:
        from .tasks import seal_ledgers

        ids = sorted(set(ledger_ids))
        transaction.on_commit(lambda: seal_ledgers.delay(ids))


def _ledger_id(ledger: Ledger | int) -> int:
    return ledger.pk if isinstance(ledger, Ledger) else int(ledger)


@retry_on_conflict(one_statement=True)
def entry_post(
    *,
    actor,
    ledger: Ledger | int,
    effective_date: date,
    lines: Sequence[Line],
    memo: str = "",
    reference: str = "",
    idempotency_key: str | None = None,
    metadata: dict | None = None,
) -> JournalEntry:
    """Post one balanced entry. Invariant: it balances per currency, or nothing is written.

    The same idempotency key with the same payload returns the entry posted first; with another payload it is
    refused (IdempotencyConflict).
    """
    spec = EntrySpec(
        ledger_id=_ledger_id(ledger), effective_date=effective_date, lines=lines, memo=memo, reference=reference,
        idempotency_key=idempotency_key or None, metadata=metadata or {},
    )
    [entry] = posting.post_entries([posting.normalise(spec)], Actor.of(actor))
    _seal_after_commit([entry.ledger_id])
    return entry


@retry_on_conflict(one_statement=True)
def entries_post_batch(*, actor, entries: Sequence[EntrySpec]) -> list[JournalEntry]:
    """Post many entries in one transaction with the same checks as `entry_post`: all of them, or none."""
    if not entries:
        return []
    normal = [posting.normalise(spec, index if len(entries) > 1 else None) for index, spec in enumerate(entries)]
    posted = posting.post_entries(normal, Actor.of(actor))
    _seal_after_commit([e.ledger_id for e in posted])
    return posted


@retry_on_conflict
def entry_reverse(
    *,
    actor,
    entry: JournalEntry,
    effective_date: date | None = None,
    memo: str = "",
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Post the mirror of `entry` (debits become credits) pointing back to it. An entry is reversed once.

    By default the reversal is dated like the original when that year is still open, and today otherwise.
    """
    if hasattr(entry, "reversed_by") or JournalEntry.objects.filter(reverses_id=entry.pk).exists():
        existing = JournalEntry.objects.filter(reverses_id=entry.pk).first()
        if existing is not None and idempotency_key and existing.idempotency_key == idempotency_key:
            return existing
        raise AlreadyReversed(f"entry #{entry.pk} has already been reversed", field="entry")
    if effective_date is None:
        closed = Ledger.objects.values_list("closed_years", flat=True).get(pk=entry.ledger_id) or []
        effective_date = entry.effective_date if entry.effective_date.year not in closed else timezone.localdate()
    lines = [
        Line(account=ln.account_id, debit=from_minor(ln.credit, ln.currency) if ln.credit else None,
             credit=from_minor(ln.debit, ln.currency) if ln.debit else None, party=ln.party, metadata=ln.metadata)
        for ln in entry.lines.all()
    ]
    spec = EntrySpec(
        ledger_id=entry.ledger_id, effective_date=effective_date, lines=lines, reverses_id=entry.pk,
        memo=memo or f"Reversal of entry #{entry.pk}", reference=entry.reference,
        idempotency_key=idempotency_key or None,
    )
    [reversal] = posting.post_entries([posting.normalise(spec)], Actor.of(actor))
    _seal_after_commit([reversal.ledger_id])
    return reversal


@retry_on_conflict(one_statement=True)
def interfund_transfer_post(
    *,
    actor,
    amount: Money,
    effective_date: date,
    source_debit: Account,
    source_credit: Account,
    target_debit: Account,
    target_credit: Account,
    memo: str = "",
    reference: str = "",
    idempotency_key: str | None = None,
) -> tuple[JournalEntry, JournalEntry]:
    """Move `amount` between two ledgers: one balanced entry in each, both posted or neither.

    Typically the source records a due-to (Dr transfer expense, Cr due to the other fund) and the target the
    matching due-from (Dr due from the other fund, Cr transfer revenue); settling in cash is another transfer
    (source: Dr due-to, Cr cash; target: Dr cash, Cr due-from). Both entries share one `transfer_id`.
    """
    if source_debit.ledger_id != source_credit.ledger_id or target_debit.ledger_id != target_credit.ledger_id:
        raise InvalidEntry("each side of a transfer uses two accounts of its own ledger", field="accounts")
    if source_debit.ledger_id == target_debit.ledger_id:
        raise InvalidEntry("an inter-fund transfer moves money between two different ledgers", field="accounts")
    transfer_id = uuid.uuid5(uuid.NAMESPACE_URL, f"transfer:{idempotency_key}") if idempotency_key else uuid.uuid4()
    common = {"effective_date": effective_date, "memo": memo, "reference": reference, "transfer_id": transfer_id}
    specs = [
        EntrySpec(ledger_id=source_debit.ledger_id, lines=[debit(source_debit, amount), credit(source_credit, amount)],
                  idempotency_key=f"{idempotency_key}:source" if idempotency_key else None, **common),
        EntrySpec(ledger_id=target_debit.ledger_id, lines=[debit(target_debit, amount), credit(target_credit, amount)],
                  idempotency_key=f"{idempotency_key}:target" if idempotency_key else None, **common),
    ]
    source, target = posting.post_entries([posting.normalise(s) for s in specs], Actor.of(actor))
    _seal_after_commit([source.ledger_id, target.ledger_id])
    return source, target


# Holds: pending entries (encumbrances), posted later in full or in parts, or voided.


def _reservations(lines, scale_to: int | None = None) -> dict[int, tuple[int, int]]:
    """(debit, credit) reserved per account by hold lines; `scale_to` replaces each amount of a two-line hold."""
    reserved: dict[int, list[int]] = {}
    for ln in lines:
        slot = reserved.setdefault(ln.account_id, [0, 0])
        slot[0] += (scale_to if scale_to is not None else ln.debit) if ln.debit else 0
        slot[1] += (scale_to if scale_to is not None else ln.credit) if ln.credit else 0
    return {aid: (d, c) for aid, (d, c) in reserved.items()}


@retry_on_conflict
def hold_create(
    *,
    actor,
    ledger: Ledger | int,
    effective_date: date,
    lines: Sequence[Line],
    memo: str = "",
    reference: str = "",
    idempotency_key: str | None = None,
) -> Hold:
    """Reserve a balanced entry's amounts against its accounts' limits without posting it.

    Invariant: a limited account's balance less all reservations stays at or above zero.
    """
    who = Actor.of(actor)
    normal = posting.normalise(EntrySpec(
        ledger_id=_ledger_id(ledger), effective_date=effective_date, lines=lines, memo=memo, reference=reference,
        idempotency_key=idempotency_key or None,
    ))
    if idempotency_key:
        existing = Hold.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.payload_hash != normal.payload_hash:
                raise IdempotencyConflict(f"idempotency key {idempotency_key!r} was used for another hold",
                                          field="idempotency_key")
            return existing
    closed, accounts = posting.lock_for_posting([normal.spec.ledger_id], [ln.account_id for ln in normal.lines])
    posting.check_accounts([normal], accounts, closed)
    reserved = _reservations(normal.lines)
    for aid, (d, c) in reserved.items():
        account = accounts[aid]
        if account.non_negative and posting.available_after(account, pending_debit=d, pending_credit=c,
                                                            reserve=True) < 0:
            raise LimitExceeded(
                f"account {account.code} has only {account.available_minor:,} available to reserve",
                field="lines",
            )
    amount = sum(ln.debit for ln in normal.lines)
    try:
        with transaction.atomic():
            hold = Hold.objects.create(
                ledger_id=normal.spec.ledger_id, effective_date=effective_date, created_by_id=who.user_id,
                actor_label=who.label, memo=memo, reference=reference, idempotency_key=idempotency_key or None,
                payload_hash=normal.payload_hash, amount=amount, remaining=amount,
            )
    except IntegrityError:
        # A concurrent request with the same key won the race; answer as a retry would.
        return Hold.objects.get(idempotency_key=idempotency_key)
    HoldLine.objects.bulk_create([
        HoldLine(hold=hold, account_id=ln.account_id, debit=ln.debit, credit=ln.credit, currency=ln.currency,
                 party=ln.party, metadata=ln.metadata)
        for ln in normal.lines
    ])
    sql.update_reservations(reserved)
    return hold


def _lock_open_hold(hold: Hold | int) -> Hold:
    # Lock the hold first (then ledgers, then accounts): two tranches of one hold must not both spend its remainder.
    locked = Hold.objects.select_for_update().get(pk=hold.pk if isinstance(hold, Hold) else hold)
    if locked.status != HoldStatus.OPEN:
        raise HoldNotOpen(f"hold #{locked.pk} is {locked.get_status_display().lower()}", field="hold")
    return locked


@retry_on_conflict
def hold_post(
    *,
    actor,
    hold: Hold | int,
    amount: Money | None = None,
    effective_date: date | None = None,
    memo: str = "",
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Post a hold, whole or (for a two-line hold) a part of what remains, releasing that much reservation.

    Invariant: the hold's remaining amount plus everything posted from it equals what it reserved.
    """
    hold_id = hold.pk if isinstance(hold, Hold) else int(hold)
    if idempotency_key:
        existing = JournalEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.hold_id != hold_id:
                raise IdempotencyConflict(f"idempotency key {idempotency_key!r} was used for another entry",
                                          field="idempotency_key")
            return existing
    locked = _lock_open_hold(hold_id)
    hold_lines = list(locked.lines.all())
    part = locked.remaining if amount is None else to_minor(amount)
    if part <= 0 or part > locked.remaining:
        raise InvalidEntry(f"the amount must be between 1 and the {locked.remaining:,} still held", field="amount")
    if len(hold_lines) != 2 and part != locked.amount:
        raise InvalidEntry("only a two-line hold can be posted in parts", field="amount")
    scale = part if len(hold_lines) == 2 else None
    lines = [
        Line(account=ln.account_id, debit=from_minor(scale or ln.debit, ln.currency) if ln.debit else None,
             credit=from_minor(scale or ln.credit, ln.currency) if ln.credit else None, party=ln.party,
             metadata=ln.metadata)
        for ln in hold_lines
    ]
    spec = EntrySpec(
        ledger_id=locked.ledger_id, effective_date=effective_date or locked.effective_date, lines=lines,
        memo=memo or locked.memo, reference=locked.reference, hold_id=locked.pk,
        idempotency_key=idempotency_key or None,
    )
    [entry] = posting.post_entries([posting.normalise(spec)], Actor.of(actor),
                                   releases=_reservations(hold_lines, scale))
    locked.remaining -= part
    locked.status = HoldStatus.POSTED if locked.remaining == 0 else HoldStatus.OPEN
    locked.save(update_fields=["remaining", "status"])
    _seal_after_commit([entry.ledger_id])
    return entry


@retry_on_conflict
def hold_void(*, actor, hold: Hold | int, reason: str = "") -> Hold:
    """Release what a hold still reserves; nothing is posted. Voiding a voided hold is refused."""
    who = Actor.of(actor)
    locked = _lock_open_hold(hold)
    hold_lines = list(locked.lines.all())
    scale = locked.remaining if len(hold_lines) == 2 else None
    released = _reservations(hold_lines, scale)
    posting.lock_for_posting([locked.ledger_id], released)
    sql.update_reservations({aid: (-d, -c) for aid, (d, c) in released.items()})
    locked.remaining = 0
    locked.status = HoldStatus.VOIDED
    locked.voided_at = timezone.now()
    locked.void_reason = reason
    locked.voided_by = who.label
    locked.save(update_fields=["remaining", "status", "voided_at", "void_reason", "voided_by"])
    return locked


# Periods: a fiscal year is the calendar year.


@retry_on_conflict
def period_close(*, actor, ledger: Ledger | int, year: int, net_assets_account: Account) -> FiscalPeriod:
    """Close revenue and expense into net assets as of 31 December and lock the year against posting.

    Invariant: after closing, every revenue and expense account has a zero balance as of the year's end.
    """
    from .selectors import balances_as_of

    who = Actor.of(actor)
    ledger_id = _ledger_id(ledger)
    # The ledger row, then every account of it: postings in flight finish first, new ones wait for the close.
    closed = posting.lock_ledger(ledger_id, with_accounts=True)
    if year in closed:
        raise PeriodClosed(f"fiscal year {year} is already closed", field="year")
    if net_assets_account.ledger_id != ledger_id or net_assets_account.type != AccountType.NET_ASSETS:
        raise InvalidEntry("closing needs a net-assets account of this ledger", field="net_assets_account")
    year_end = date(year, 12, 31)
    nominal = Account.objects.filter(ledger_id=ledger_id, type__in=[AccountType.REVENUE, AccountType.EXPENSE])
    balances = balances_as_of(ledger_id, year_end, accounts=nominal)
    lines: list[Line] = []
    surplus: dict[str, int] = {}
    for account in nominal:
        d, c = balances.get(account.pk, (0, 0))
        net = d - c
        if net == 0:
            continue
        money = from_minor(abs(net), account.currency)
        lines.append(credit(account, money) if net > 0 else debit(account, money))
        surplus[account.currency] = surplus.get(account.currency, 0) - net
    closing_entry = None
    if lines:
        net = surplus.get(net_assets_account.currency, 0)
        if net:
            money = from_minor(abs(net), net_assets_account.currency)
            lines.append(credit(net_assets_account, money) if net > 0 else debit(net_assets_account, money))
        spec = EntrySpec(
            ledger_id=ledger_id, effective_date=year_end, lines=lines, memo=f"Closing entry FY{year}",
            reference=f"period-close:{year}",
        )
        [closing_entry] = posting.post_entries([posting.normalise(spec)], who)
        _seal_after_commit([ledger_id])
    period, _ = FiscalPeriod.objects.get_or_create(ledger_id=ledger_id, year=year)
    period.status = PeriodStatus.CLOSED
    period.closing_entry = closing_entry or period.closing_entry
    period.save(update_fields=["status", "closing_entry"])
    Ledger.objects.filter(pk=ledger_id).update(closed_years=sorted({*closed, year}))
    PeriodEvent.objects.create(period=period, action=PeriodEvent.Action.CLOSE, actor_id=who.user_id,
                               actor_label=who.label)
    return period


@retry_on_conflict
def period_reopen(*, actor, ledger: Ledger | int, year: int, reason: str) -> FiscalPeriod:
    """Unlock a closed year (an administrator's act, recorded with its reason). Closing again posts only what
    changed since."""
    who = Actor.of(actor)
    if not is_fund_admin(actor):
        raise NotPermitted("only a fund administrator may reopen a closed year", field="actor")
    if not reason.strip():
        raise InvalidEntry("say why the period is reopened", field="reason")
    ledger_id = _ledger_id(ledger)
    closed = posting.lock_ledger(ledger_id)
    if year not in closed:
        raise InvalidEntry(f"fiscal year {year} is not closed", field="year")
    period = FiscalPeriod.objects.get(ledger_id=ledger_id, year=year)
    period.status = PeriodStatus.OPEN
    period.save(update_fields=["status"])
    Ledger.objects.filter(pk=ledger_id).update(closed_years=sorted(set(closed) - {year}))
    PeriodEvent.objects.create(period=period, action=PeriodEvent.Action.REOPEN, actor_id=who.user_id,
                               actor_label=who.label, reason=reason)
    return period


def entry_spec(**kwargs) -> EntrySpec:
    """Build an EntrySpec for `entries_post_batch` from a ledger (or its id) and the entry's fields."""
    ledger = kwargs.pop("ledger")
    return replace(EntrySpec(ledger_id=_ledger_id(ledger), effective_date=kwargs.pop("effective_date"),
                             lines=kwargs.pop("lines")), **kwargs)

