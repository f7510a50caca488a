"""The standard chart of accounts every fund keeps, in Korean and English, for government fund accounting
(DOMAIN.md §8: double entry, accrual basis, each fund a self-balancing set of accounts, inter-fund movements as
due-to / due-from pairs, periods closed to net assets).

Codes: 1xxx assets (11xx cash and cash equivalents), 2xxx liabilities, 3xxx net assets, 4xxx revenue,
5xxx expense. Other apps name an account by its role (`CONTRIBUTION_REVENUE`) and look it up with
`apps.funds.selectors.fund_account`.
"""

from __future__ import annotations

from dataclasses import dataclass

from apps.ledger.models import AccountType

# Account roles: the code each fund's account for that role has.
CASH = "1110"
CONTRIBUTIONS_RECEIVABLE = "1210"
MATCHING_RECEIVABLE = "1220"
FINES_RECEIVABLE = "1230"
LOANS_RECEIVABLE = "1310"
PROFIT_SHARE_RECEIVABLE = "1320"
PROJECT_INVESTMENTS = "1330"
DUE_FROM_OTHER_FUNDS = "1410"
GRANTS_PAYABLE = "2110"
CLAIMS_PAYABLE = "2120"
DUE_TO_OTHER_FUNDS = "2410"
RESTRICTED_NET_ASSETS = "3100"
UNRESTRICTED_NET_ASSETS = "3200"
CONTRIBUTION_REVENUE = "4100"
MATCHING_REVENUE = "4200"
RECYCLED_PROFIT_REVENUE = "4300"
FINE_REVENUE = "4400"
TRANSFERS_FROM_OTHER_FUNDS = "4500"
GRANT_EXPENSE = "5100"
RELIEF_EXPENSE = "5200"
GUARANTEE_SUPPORT_EXPENSE = "5300"
TRANSFER_EXPENSE = "5400"
ADMINISTRATION_EXPENSE = "5900"


@dataclass(frozen=True)
class AccountSpec:
    code: str
    type: str
    name_ko: str
    name_en: str
    non_negative: bool = False


CHART = (
    # A fund cannot pay out money it does not hold: cash never goes below zero, reservations included.
    AccountSpec(CASH, AccountType.ASSET, "현금및현금성자산", "Cash and cash equivalents", non_negative=True),
    AccountSpec(CONTRIBUTIONS_RECEIVABLE, AccountType.ASSET, "출연금 미수금", "Contributions receivable"),
    AccountSpec(MATCHING_RECEIVABLE, AccountType.ASSET, "정부매칭 미수금", "Government matching receivable"),
    AccountSpec(FINES_RECEIVABLE, AccountType.ASSET, "과징금 미수금", "Fines receivable"),
    AccountSpec(LOANS_RECEIVABLE, AccountType.ASSET, "융자금", "Loans receivable"),
    AccountSpec(PROFIT_SHARE_RECEIVABLE, AccountType.ASSET, "성과공유 미수금", "Profit-share receivable"),
    AccountSpec(PROJECT_INVESTMENTS, AccountType.ASSET, "수출사업 투자자산", "Export project investments"),
    AccountSpec(DUE_FROM_OTHER_FUNDS, AccountType.ASSET, "타기금 미수금", "Due from other funds"),
    AccountSpec(GRANTS_PAYABLE, AccountType.LIABILITY, "미지급 지원금", "Grants payable"),
    AccountSpec(CLAIMS_PAYABLE, AccountType.LIABILITY, "미지급 구제금", "Claims payable"),
    AccountSpec(DUE_TO_OTHER_FUNDS, AccountType.LIABILITY, "타기금 미지급금", "Due to other funds"),
    AccountSpec(RESTRICTED_NET_ASSETS, AccountType.NET_ASSETS, "제한 순자산", "Restricted net assets"),
    AccountSpec(UNRESTRICTED_NET_ASSETS, AccountType.NET_ASSETS, "비제한 순자산", "Unrestricted net assets"),
    AccountSpec(CONTRIBUTION_REVENUE, AccountType.REVENUE, "출연금 수익", "Contribution revenue"),
    AccountSpec(MATCHING_REVENUE, AccountType.REVENUE, "정부매칭 수익", "Government matching revenue"),
    AccountSpec(RECYCLED_PROFIT_REVENUE, AccountType.REVENUE, "성과공유 환원 수익", "Recycled-profit revenue"),
    AccountSpec(FINE_REVENUE, AccountType.REVENUE, "과징금 수익", "Fine revenue"),
    AccountSpec(TRANSFERS_FROM_OTHER_FUNDS, AccountType.REVENUE, "타기금 전입 수익", "Transfers from other funds"),
    AccountSpec(GRANT_EXPENSE, AccountType.EXPENSE, "지원금 비용", "Grant expense"),
    AccountSpec(RELIEF_EXPENSE, AccountType.EXPENSE, "피해구제 비용", "Relief expense"),
    AccountSpec(GUARANTEE_SUPPORT_EXPENSE, AccountType.EXPENSE, "보증연계 지원 비용", "Guarantee-support expense"),
    AccountSpec(TRANSFER_EXPENSE, AccountType.EXPENSE, "타기금 전출 비용", "Transfers to other funds"),
    AccountSpec(ADMINISTRATION_EXPENSE, AccountType.EXPENSE, "일반관리비", "Administration expense"),
)
