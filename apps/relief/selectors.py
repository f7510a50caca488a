"""Reads of sanctions, fine payments and relief claims, scoped to who asks, and the relief fund's figures.

Fund administrators and auditors see everything; a member of a company sees the sanctions against it and the
claims it filed, nothing else — so another company's sanction, claim or document id answers 404. The fund's
figures are read from its ledger: cash, what approved claims have reserved, and what is left available.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_account
from apps.organizations.selectors import organizations_visible_to, sees_all_organizations

from .models import Claim, ClaimDocument, ClaimStatus, FinePayment, Sanction

RELIEF_FUND = "relief"


def sanctions_visible_to(user) -> QuerySet[Sanction]:
    sanctions = Sanction.objects.with_amounts().select_related("organization")
    if sees_all_organizations(user):
        return sanctions
    return sanctions.filter(organization__in=organizations_visible_to(user))


def payments_visible_to(user) -> QuerySet[FinePayment]:
    payments = FinePayment.objects.select_related("sanction", "sanction__organization")
    if sees_all_organizations(user):
        return payments
    return payments.filter(sanction__organization__in=organizations_visible_to(user))


def claims_visible_to(user) -> QuerySet[Claim]:
    claims = Claim.objects.select_related("claimant", "sanction")
    if sees_all_organizations(user):
        return claims
    return claims.filter(claimant__in=organizations_visible_to(user))


def documents_visible_to(user) -> QuerySet[ClaimDocument]:
    documents = ClaimDocument.objects.select_related("claim")
    if sees_all_organizations(user):
        return documents
    return documents.filter(claim__claimant__in=organizations_visible_to(user))


@dataclass(frozen=True)
class FundCash:
    """The relief fund's cash (whole won), what approved but unpaid claims reserve of it, and what is left."""

    balance: int
    reserved: int

    @property
    def available(self) -> int:
        return self.balance - self.reserved


def fund_cash() -> FundCash:
    cash = fund_account(Fund.objects.get(code=RELIEF_FUND), chart.CASH)
    return FundCash(balance=cash.balance_minor, reserved=cash.balance_minor - cash.available_minor)


@dataclass(frozen=True)
class ReliefTotals:
    fines_imposed: int
    fines_collected: int
    fines_waived: int
    claims_approved: int  # approved, paid or not
    claims_paid: int
    claims_in_review: int  # amount claimed by claims still undecided

    @property
    def fines_outstanding(self) -> int:
        return self.fines_imposed - self.fines_collected - self.fines_waived


def relief_totals() -> ReliefTotals:
    sanctions = list(Sanction.objects.with_amounts().values_list("fine_amount", "paid", "outstanding",
                                                                 "waived_at"))
    imposed = sum(fine for fine, _paid, _out, _waived in sanctions)
    collected = sum(paid for _fine, paid, _out, _waived in sanctions)
    waived = sum(fine - paid for fine, paid, _out, when in sanctions if when is not None)

    def total(statuses, field) -> int:
        return Claim.objects.filter(status__in=statuses).aggregate(won=Sum(field))["won"] or 0

    return ReliefTotals(
        fines_imposed=imposed, fines_collected=collected, fines_waived=waived,
        claims_approved=total((ClaimStatus.APPROVED, ClaimStatus.PAID), "approved_amount"),
        claims_paid=total((ClaimStatus.PAID,), "approved_amount"),
        claims_in_review=total((ClaimStatus.IN_REVIEW, ClaimStatus.INFO_REQUESTED), "amount_claimed"),
    )
