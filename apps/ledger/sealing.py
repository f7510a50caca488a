"""Tamper evidence: gapless numbers per ledger and fiscal year, and a hash chain over committed entries.

The sealer runs after entries commit (a Celery beat task every few seconds, or on commit in the embedded mode), so
posting never waits on one global lock. Each seal's hash covers the entry's fields, its lines, its number and the
previous seal's hash; `ledger_verify` recomputes the chain with the same `entry_digest`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .models import EntrySeal, JournalEntry, JournalLine, LedgerChain

GENESIS_HASH = "0" * 64
ENTRY_FIELDS = (
    "id", "ledger_id", "effective_date", "posted_at", "memo", "actor_label", "reference", "reverses_id", "hold_id",
    "transfer_id", "metadata",
)
LINE_FIELDS = ("entry_id", "id", "account_id", "debit", "credit", "currency", "party", "metadata")


def entry_digest(previous_hash: str, fiscal_year: int, number: int, entry: Sequence, lines: Iterable[Sequence]) -> str:
    """SHA-256 over the previous hash, the entry's number, its fields (ENTRY_FIELDS order) and its lines."""
    canonical = {
        "prev": previous_hash,
        "year": fiscal_year,
        "number": number,
        "entry": [_plain(v) for v in entry],
        "lines": [[_plain(v) for v in line[1:]] for line in lines],
    }
    data = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


# Types that json.dumps writes the same way whichever database they were read from.
_AS_IS = frozenset({str, int, bool, type(None)})


def _plain(value):
    """`value` in a form that reads the same from PostgreSQL and SQLite: dicts and lists element by element (so
    json.dumps sorts every key, however the database ordered a nested object), date-times in UTC ISO form."""
    if type(value) in _AS_IS:  # by far the most common case, and this runs for every value of every line
        return value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        if hasattr(value, "tzinfo") and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat()
    return str(value)


def lines_by_entry(entry_ids: Sequence[int]) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = {eid: [] for eid in entry_ids}
    rows = JournalLine.objects.filter(entry_id__in=entry_ids).order_by("entry_id", "id").values_list(*LINE_FIELDS)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


# A posting transaction lasts milliseconds; one still open after this long is caught by the next full scan.
SETTLE = timedelta(minutes=10)
FULL_SCAN_EVERY = timedelta(hours=1)


def seal_ledger(ledger_id: int, *, batch: int = 5000, after_id: int | None = None) -> int:
    """Number and chain up to `batch` committed, unsealed entries of one ledger; returns how many were sealed.

    `after_id` continues a run past the entries it has just sealed. Safe to run twice or concurrently: the chain
    head row is locked, so two sealers of one ledger take turns, and the second finds nothing left to seal.
    """
    return _seal(ledger_id, batch=batch, after_id=after_id)[0]


def seal_ledger_fully(ledger_id: int, *, batch: int = 5000, on_batch=None) -> int:
    """Seal everything committed in the ledger, batch after batch; `on_batch(sealed_so_far)` after each."""
    sealed, after_id = 0, None
    while True:
        count, after_id = _seal(ledger_id, batch=batch, after_id=after_id)
        sealed += count
        if on_batch is not None and count:
            on_batch(sealed)
        if count < batch:
            return sealed


def _seal(ledger_id: int, *, batch: int, after_id: int | None) -> tuple[int, int | None]:
    with transaction.atomic():
        LedgerChain.objects.bulk_create([LedgerChain(ledger_id=ledger_id)], ignore_conflicts=True)
        # Lock the chain head: two sealers of the same ledger would otherwise hand out the same numbers.
        chain = LedgerChain.objects.select_for_update().get(ledger_id=ledger_id)
        now = timezone.now()
        candidates = JournalEntry.objects.filter(ledger_id=ledger_id, seal__isnull=True)
        if after_id is not None:
            candidates = candidates.filter(id__gt=after_id)
        elif chain.full_scan_at and now - chain.full_scan_at < FULL_SCAN_EVERY:
            candidates = candidates.filter(id__gte=chain.scan_from)
        else:
            chain.full_scan_at = now
        entries = list(candidates.order_by("id").values_list(*ENTRY_FIELDS)[:batch])
        seals, head, index = _chain(ledger_id, chain, entries, now)
        EntrySeal.objects.bulk_create(seals)
        chain.head_hash, chain.sealed_count = head, index
        if after_id is None and len(entries) < batch:
            _advance_scan(chain, now)
        chain.save()
        return len(seals), (entries[-1][0] if entries else after_id)


def _chain(ledger_id: int, chain: LedgerChain, entries: list[tuple], now) -> tuple[list[EntrySeal], str, int]:
    lines = lines_by_entry([e[0] for e in entries])
    # One index probe per fiscal year in the batch, not an aggregate over every seal the ledger has.
    last_numbers = {
        year: EntrySeal.objects.filter(ledger_id=ledger_id, fiscal_year=year).aggregate(n=Max("number"))["n"] or 0
        for year in {entry[2].year for entry in entries}
    }
    seals, head, index = [], chain.head_hash, chain.sealed_count
    for entry in entries:
        year = entry[2].year
        number = last_numbers[year] + 1
        last_numbers[year] = number
        digest = entry_digest(head, year, number, entry, lines[entry[0]])
        index += 1
        seals.append(EntrySeal(
            entry_id=entry[0], ledger_id=ledger_id, fiscal_year=year, number=number, chain_index=index,
            previous_hash=head, hash=digest, sealed_at=now,
        ))
        head = digest
    return seals, head, index


def _advance_scan(chain: LedgerChain, now) -> None:
    """Everything visible is sealed now. Entries up to the mark taken SETTLE ago have long committed and been
    sealed too, so later runs can start after it; then take a new mark."""
    if chain.mark_at is None or now - chain.mark_at >= SETTLE:
        if chain.mark_at is not None:
            chain.scan_from = max(chain.scan_from, chain.mark_id + 1)
        chain.mark_id = JournalEntry.objects.aggregate(n=Max("id"))["n"] or 0
        chain.mark_at = now


def unsealed_ledger_ids() -> list[int]:
    return list(
        JournalEntry.objects.filter(seal__isnull=True).order_by().values_list("ledger_id", flat=True).distinct()
    )
