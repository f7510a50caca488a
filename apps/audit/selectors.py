"""Reads of the auditors' area: the audit trail, the funds' books as the ledger keeps them, and the last
verification of the ledgers. Nothing here writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from apps.funds.models import Fund
from apps.ledger.models import Account, JournalEntry, JournalLine, Ledger, VerificationRun

from .models import AuditEvent


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_search(*, table: str = "", action: str = "", actor: str = "", source: str = "", object_id: str = "",
                  text: str = "", date_from: date | None = None, date_to: date | None = None) -> QuerySet[AuditEvent]:
    """Audit events, newest first, narrowed by any of: table, action, actor (part of the name), source, the
    changed row's id, a text found in the values before or after, and the days (in the site's time zone)."""
    events = AuditEvent.objects.all()
    if table:
        events = events.filter(table_name=table)
    if action:
        events = events.filter(action=action)
    if source:
        events = events.filter(source=source)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if object_id:
        events = events.filter(object_id=object_id)
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to) + timedelta(days=1))
    if text:
        events = events.annotate(before_text=Cast("before", TextField()), after_text=Cast("after", TextField()))
        events = events.filter(Q(before_text__icontains=text) | Q(after_text__icontains=text)
                               | Q(object_id=text) | Q(actor_label__icontains=text))
    return events.order_by("-id")


def audited_table_names() -> list[str]:
    """The tables the trail covers, for a filter's choices (from the models: no scan of a large trail)."""
    from .triggers import audited_models

    return sorted({m._meta.db_table for m in audited_models()})


def recent_actors(window: int = 10_000) -> list[str]:
    """The actors of the latest `window` events, for a filter's choices (a bounded read, however long the trail)."""
    latest = AuditEvent.objects.order_by("-id").values_list("actor_label", flat=True)[:window]
    return sorted(set(latest))


def funds_with_ledgers() -> list[Fund]:
    return list(Fund.objects.select_related("ledger").order_by("pk"))


def fund_accounts(fund: Fund) -> list[Account]:
    """The fund's accounts by code, each with its stored balance (`balance_minor`, `available_minor`)."""
    return list(Account.objects.filter(ledger_id=fund.ledger_id).order_by("code"))


def entries_search(*, ledger: Ledger | None = None, account: Account | None = None, date_from: date | None = None,
                   date_to: date | None = None, reference: str = "", text: str = "",
                   reversed_: str = "") -> QuerySet[JournalEntry]:
    """Journal entries, newest first. `text` is looked for in the memo, the reference and the lines' parties;
    `reversed_` is "yes" (entries later reversed), "no" (never reversed), "reversal" (the reversing entries)."""
    entries = JournalEntry.objects.select_related("ledger", "seal", "reverses")
    if ledger is not None:
        entries = entries.filter(ledger=ledger)
    if account is not None:
        entries = entries.filter(Exists(JournalLine.objects.filter(entry=OuterRef("pk"), account=account)))
    if date_from:
        entries = entries.filter(effective_date__gte=date_from)
    if date_to:
        entries = entries.filter(effective_date__lte=date_to)
    if reference:
        entries = entries.filter(reference__icontains=reference)
    if text:
        entries = entries.filter(
            Q(memo__icontains=text) | Q(reference__icontains=text)
            | Exists(JournalLine.objects.filter(entry=OuterRef("pk"), party__icontains=text)))
    reversed_by = JournalEntry.objects.filter(reverses=OuterRef("pk"))
    if reversed_ == "yes":
        entries = entries.filter(Exists(reversed_by))
    elif reversed_ == "no":
        entries = entries.filter(~Exists(reversed_by), reverses__isnull=True)
    elif reversed_ == "reversal":
        entries = entries.filter(reverses__isnull=False)
    return entries.annotate(is_reversed=Exists(reversed_by)).order_by("-id")


def entry_detail(entry_id: int) -> JournalEntry:
    """One entry with its ledger, seal, lines (with accounts) and what reversed it; DoesNotExist if unknown."""
    return (JournalEntry.objects.select_related("ledger", "seal", "reverses", "posted_by")
            .prefetch_related("lines__account").get(pk=entry_id))


def reversal_of(entry: JournalEntry) -> JournalEntry | None:
    return JournalEntry.objects.filter(reverses=entry).first()


@dataclass
class LedgerFindings:
    ledger: Ledger
    fund: Fund | None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class VerificationSummary:
    """The last finished run, its findings ledger by ledger, and the runs before it."""

    last: VerificationRun | None
    ledgers: list[LedgerFindings]
    other_problems: list[str]
    recent: list[VerificationRun]


def verification_summary(recent: int = 10) -> VerificationSummary:
    runs = list(VerificationRun.objects.order_by("-started_at")[:recent])
    last = next((r for r in runs if r.finished_at is not None), None)
    funds = {f.ledger_id: f for f in Fund.objects.all()}
    findings = [LedgerFindings(ledger, funds.get(ledger.pk)) for ledger in Ledger.objects.order_by("code")]
    other: list[str] = []
    for problem in (last.problems if last else []):
        named = [f for f in findings if re.search(rf"\bledger {re.escape(f.ledger.code)}\b", problem)]
        for f in named:
            f.problems.append(problem)
        if not named:
            other.append(problem)
    return VerificationSummary(last, findings, other, runs)
