"""Tax credits computed from contributions and the rules in force, exactly and without writing anything.

Per contribution (Special Tax Treatment Control Act art. 8-3): the base is the amount less the part used for the
contributor's related parties — the amount is split equally across the named beneficiaries (`money.split`, whose
parts add back exactly to the amount) and the related beneficiaries' parts are left out; with no beneficiary named
the whole amount is the base. The credit is `floor(base × rate)` in whole won under the rule in force on the
contribution date, whose year is the tax year. Only money received counts (confirmed or matched).

A statement sums the lines of one organisation's tax year; caps apply after summing (`cap_total`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from apps.contributions.models import RECEIVED_STATUSES, Contribution
from apps.core.money import apply_rate, split
from apps.organizations.models import Organization

from .models import CreditKind, TaxCreditRule

CONTRIBUTION_KIND = CreditKind.WIN_WIN_FUND_CONTRIBUTION
NO_RULE = "no rule in force"
NOT_RECEIVED = "not received"


@dataclass(frozen=True)
class CreditLine:
    contribution: int
    date: date
    fund: str
    amount: int
    excluded: int
    base: int
    rate: Decimal | None
    credit: int
    rule: int | None = None
    reason: str = ""

    def as_json(self) -> dict:
        row = asdict(self)
        row["date"] = self.date.isoformat()
        row["rate"] = None if self.rate is None else str(self.rate)
        return row


@dataclass
class Statement:
    organization: int
    year: int
    kind: str = CONTRIBUTION_KIND
    lines: list[CreditLine] = field(default_factory=list)

    @property
    def total_amount(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def total_excluded(self) -> int:
        return sum(line.excluded for line in self.lines)

    @property
    def total_base(self) -> int:
        return sum(line.base for line in self.lines)

    @property
    def total_credit(self) -> int:
        return cap_total(self.kind, sum(line.credit for line in self.lines))


def cap_total(kind: str, total: int) -> int:
    """The year's credit after its cap. Art. 8-3 has none; the art. 7-4 cap (10 % of the year's corporate tax)
    needs the tax figure, which the ledger does not hold yet."""
    return total


def excluded_part(amount: int, beneficiary_ids: list[int], related_ids: set[int]) -> int:
    """The part of `amount` used for related parties, splitting it equally across the named beneficiaries."""
    if not beneficiary_ids:
        return 0
    parts = split(amount, [1] * len(beneficiary_ids))
    return sum(part for pk, part in zip(sorted(beneficiary_ids), parts, strict=True) if pk in related_ids)


def _related_ids(organization_id: int) -> set[int]:
    return set(Organization.objects.get(pk=organization_id).related_parties.values_list("pk", flat=True))


def _line(contribution: Contribution, related_ids: set[int], rule: TaxCreditRule | None) -> CreditLine:
    beneficiary_ids = [b.pk for b in contribution.beneficiaries.all()]
    excluded = excluded_part(contribution.amount, beneficiary_ids, related_ids)
    common = {"contribution": contribution.pk, "date": contribution.contribution_date,
              "fund": contribution.fund.code, "amount": contribution.amount, "excluded": excluded,
              "base": contribution.amount - excluded}
    if contribution.status not in RECEIVED_STATUSES:
        return CreditLine(**common, rate=None, credit=0, reason=NOT_RECEIVED)
    if rule is None:
        return CreditLine(**common, rate=None, credit=0, reason=NO_RULE)
    return CreditLine(**common, rate=rule.rate, credit=apply_rate(common["base"], rule.rate), rule=rule.pk)


def contribution_credit(contribution: Contribution) -> CreditLine:
    """The credit one contribution earns; zero, with the reason, if it was not received or no rule applies."""
    rule = TaxCreditRule.objects.valid_on(contribution.contribution_date, CONTRIBUTION_KIND).first()
    return _line(contribution, _related_ids(contribution.organization_id), rule)


def _rule_on(rules: list[TaxCreditRule], day: date) -> TaxCreditRule | None:
    return next((r for r in rules if r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)), None)


def statement_compute(*, organization: Organization, year: int) -> Statement:
    """The art. 8-3 statement of one organisation's tax year, from its received contributions, by date."""
    contributions = (Contribution.objects
                     .filter(organization=organization, status__in=RECEIVED_STATUSES, contribution_date__year=year)
                     .select_related("fund").prefetch_related("beneficiaries").order_by("contribution_date", "pk"))
    rules = list(TaxCreditRule.objects.overlapping(CONTRIBUTION_KIND, date(year, 1, 1), date(year, 12, 31)))
    related_ids = _related_ids(organization.pk)
    lines = [_line(c, related_ids, _rule_on(rules, c.contribution_date)) for c in contributions]
    return Statement(organization=organization.pk, year=year, lines=lines)
