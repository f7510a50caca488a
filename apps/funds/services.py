"""Writes of the funds app. No money moves here: money moves only through `apps.ledger.services`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from apps.ledger.models import Account, Ledger
from apps.ledger.posting import Actor

from .catalogue import FUNDS, FundSpec
from .chart import CHART
from .exceptions import ChartMismatch
from .models import Fund


@dataclass
class SetupResult:
    funds: list[str] = field(default_factory=list)
    ledgers: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)  # "fund code/account code"

    @property
    def changed(self) -> bool:
        return bool(self.funds or self.ledgers or self.accounts)


def funds_setup(*, actor) -> SetupResult:
    """Create whatever is missing of the four funds, their ledgers and their standard charts; report what it made.

    Invariant: afterwards every standard fund exists with its own ledger holding every account of the chart, with
    the chart's type. Idempotent: what exists (including an administrator's edits to names and targets) is left as
    it is, so a second run changes nothing. An existing account of the wrong type is refused (ChartMismatch).
    """
    who = Actor.of(actor)
    result = SetupResult()
    with transaction.atomic():
        for spec in FUNDS:
            fund = _ensure_fund(spec, who, result)
            _ensure_chart(fund, result)
    return result


def _ensure_fund(spec: FundSpec, who: Actor, result: SetupResult) -> Fund:
    fund = Fund.objects.select_related("ledger").filter(code=spec.code).first()
    if fund is not None:
        return fund
    # A ledger of the same code may predate the funds app (books opened before it existed): adopt it.
    ledger, created = Ledger.objects.get_or_create(code=spec.code,
                                                   defaults={"name_ko": spec.name_ko, "name_en": spec.name_en})
    if created:
        result.ledgers.append(spec.code)
    fund = Fund.objects.create(
        code=spec.code, name_ko=spec.name_ko, name_en=spec.name_en, ledger=ledger,
        managing_institution_ko=spec.institution_ko, managing_institution_en=spec.institution_en,
        description=spec.description, target_amount=spec.target_amount,
        target_start_year=spec.target_start_year, target_end_year=spec.target_end_year, created_by=who.label,
    )
    result.funds.append(spec.code)
    return fund


def _ensure_chart(fund: Fund, result: SetupResult) -> None:
    existing = {a.code: a for a in Account.objects.filter(ledger=fund.ledger)}
    missing = []
    for spec in CHART:
        account = existing.get(spec.code)
        if account is None:
            missing.append(Account(ledger=fund.ledger, code=spec.code, name_ko=spec.name_ko, name_en=spec.name_en,
                                   type=spec.type, currency=fund.ledger.currency, non_negative=spec.non_negative))
        elif account.type != spec.type:
            raise ChartMismatch(f"account {spec.code} of ledger {fund.ledger.code} is {account.type}, "
                                f"but the standard chart has it as {spec.type}")
    Account.objects.bulk_create(missing)
    result.accounts.extend(f"{fund.code}/{a.code}" for a in missing)
