"""Reads of contributions and receipts, scoped to who asks.

Fund administrators and auditors see every contribution and receipt; a member (finance officer or viewer) sees
only their organisations'; an anonymous user nothing — so another company's contribution id answers 404. Totals
count only money received (confirmed or matched); a reversed contribution no longer counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum
from django.db.models.functions import ExtractYear

from apps.funds.models import Fund
from apps.organizations.models import Organization
from apps.organizations.selectors import organizations_visible_to, sees_all_organizations

from .models import RECEIVED_STATUSES, Contribution, DonationReceipt


def contributions_visible_to(user) -> QuerySet[Contribution]:
    contributions = Contribution.objects.select_related("organization", "fund", "designated_use")
    if sees_all_organizations(user):
        return contributions.all()
    return contributions.filter(organization__in=organizations_visible_to(user))


def receipts_visible_to(user) -> QuerySet[DonationReceipt]:
    receipts = DonationReceipt.objects.select_related("fund", "contribution", "contribution__organization")
    if sees_all_organizations(user):
        return receipts.all()
    return receipts.filter(contribution__organization__in=organizations_visible_to(user))


def receipts_of_donor(organization: Organization, *, fund: Fund | None = None,
                      year: int | None = None) -> QuerySet[DonationReceipt]:
    """One donor's receipts, cancelled ones included (a register keeps every number it issued)."""
    receipts = DonationReceipt.objects.filter(contribution__organization=organization).select_related("fund")
    if fund is not None:
        receipts = receipts.filter(fund=fund)
    if year is not None:
        receipts = receipts.filter(fiscal_year=year)
    return receipts.order_by("fund_id", "fiscal_year", "number")


@dataclass
class DonorRegister:
    """A fund's register of the receipts it issued to one donor in a year; `total` leaves out cancelled ones."""

    organization_id: int
    donor_name: str
    donor_brn: str
    receipts: list[DonationReceipt] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.receipts if not r.is_cancelled)


def receipt_register(*, fund: Fund, year: int) -> list[DonorRegister]:
    """The per-donor receipt register of a fund for a fiscal year, donors by name, receipts by number."""
    receipts = (DonationReceipt.objects.filter(fund=fund, fiscal_year=year).select_related("fund", "contribution")
                .order_by("donor_name", "contribution__organization_id", "number"))
    registers: dict[int, DonorRegister] = {}
    for receipt in receipts:
        org_id = receipt.contribution.organization_id
        register = registers.get(org_id)
        if register is None:
            register = registers[org_id] = DonorRegister(org_id, receipt.donor_name, receipt.donor_brn)
        register.receipts.append(receipt)
    return list(registers.values())


def contribution_totals(*, organization: Organization | None = None, fund: Fund | None = None,
                        year: int | None = None) -> dict[tuple[int, int, int], int]:
    """Won received, keyed by (organisation id, fund id, year of the contribution date)."""
    rows = Contribution.objects.filter(status__in=RECEIVED_STATUSES)
    if organization is not None:
        rows = rows.filter(organization=organization)
    if fund is not None:
        rows = rows.filter(fund=fund)
    rows = rows.annotate(year=ExtractYear("contribution_date"))
    if year is not None:
        rows = rows.filter(year=year)
    totals: dict[tuple[int, int, int], int] = defaultdict(int)
    for row in rows.values("organization_id", "fund_id", "year").annotate(won=Sum("amount")).order_by():
        totals[(row["organization_id"], row["fund_id"], row["year"])] += row["won"]
    return dict(totals)
