"""The front page: what the system is, where to go next, and — for the people who keep or audit the books — each
fund's cash and whether its trial balance agrees."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.shortcuts import render

from apps.core.roles import reads_books
from apps.ledger.models import Account, AccountType, JournalEntry, Ledger
from apps.ledger.selectors import trial_balance

# In the funds' chart of accounts, 11xx are cash and cash equivalents.
CASH_CODE_PREFIX = "11"


@dataclass(frozen=True)
class LedgerSummary:
    ledger: Ledger
    cash: int
    entries: int
    total_debit: int  # in the ledger's currency
    total_credit: int
    balanced: bool  # in every currency


def ledger_summaries() -> list[LedgerSummary]:
    cash_rows = (
        Account.objects.filter(type=AccountType.ASSET, code__startswith=CASH_CODE_PREFIX, currency="KRW")
        .values("ledger_id").annotate(d=Sum("debit_total"), c=Sum("credit_total")).order_by()
    )
    cash = {row["ledger_id"]: (row["d"] or 0) - (row["c"] or 0) for row in cash_rows}
    entries = dict(JournalEntry.objects.values("ledger_id").annotate(n=Count("id")).order_by()
                   .values_list("ledger_id", "n"))
    summaries = []
    for ledger in Ledger.objects.order_by("code"):
        tb = trial_balance(ledger)
        summaries.append(LedgerSummary(ledger, cash.get(ledger.pk, 0), entries.get(ledger.pk, 0), tb.total_debit,
                                       tb.total_credit, tb.is_balanced))
    return summaries


def home(request):
    user = request.user
    sees_books = reads_books(user)
    return render(request, "home.html", {
        "sees_books": sees_books,
        "summaries": ledger_summaries() if sees_books else [],
    })
