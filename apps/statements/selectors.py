"""The four financial statements of a fund, or of the four funds consolidated, for any period, with the same
period of the year before side by side (DOMAIN.md §8). Nothing is stored: every figure is read from the ledger with
a few aggregated queries per period (sums per account code over the per-day totals and, for the cash flows, over
the lines of the entries that move cash), never a loop over journal lines in Python.

- Statement of financial position (재정상태표) at the period's end: each account's balance; net assets include
  the surplus not yet closed into them (revenue less expense since the last closing), so assets = liabilities +
  net assets holds whether or not the year was closed.
- Operating statement (재정운영표) for the period: revenue and expense, leaving out the year-end closing entries
  (`apps.ledger.services.period_close` gives them the reference prefix `CLOSING_REFERENCE_PREFIX`).
- Statement of changes in net assets (순자산변동표): opening, surplus or deficit, changes posted straight to net
  assets, closing — which equals the net assets of the financial position.
- Cash-flow statement (현금흐름표): the cash lines' counter-accounts say what the money was for; each account code
  belongs to one activity in `CASH_FLOW_ACTIVITY` (the one table of that mapping). Opening cash + flows = closing.
- Consolidated: the four funds summed by account code, with inter-fund balances (due from / due to) and transfer
  revenue / expense eliminated against each other (the matched amount, so eliminating never unbalances anything;
  any unmatched remainder stays visible).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import CLOSING_REFERENCE_PREFIX
from apps.ledger.models import Account, AccountDay, AccountType, JournalEntry, JournalLine

CURRENCY = "KRW"
CASH_CODE_PREFIX = "11"  # 11xx: cash and cash equivalents
CONSOLIDATED = "consolidated"

OPERATING, INVESTING, FINANCING = "operating", "investing", "financing"
ACTIVITIES = (OPERATING, INVESTING, FINANCING)

# The activity a cash movement belongs to, by the account on the other side of the cash line. Loans and project
# investments are investing; money between funds (due to / due from, transfers) and direct changes of net assets
# are financing; contributions, matching, fines, recycled profit, grants, relief, guarantee support and
# administration are operating. An account not listed falls back on its type (`_activity`).
CASH_FLOW_ACTIVITY = {
    chart.CONTRIBUTIONS_RECEIVABLE: OPERATING,
    chart.MATCHING_RECEIVABLE: OPERATING,
    chart.FINES_RECEIVABLE: OPERATING,
    chart.PROFIT_SHARE_RECEIVABLE: OPERATING,
    chart.LOANS_RECEIVABLE: INVESTING,
    chart.PROJECT_INVESTMENTS: INVESTING,
    chart.DUE_FROM_OTHER_FUNDS: FINANCING,
    chart.GRANTS_PAYABLE: OPERATING,
    chart.CLAIMS_PAYABLE: OPERATING,
    chart.DUE_TO_OTHER_FUNDS: FINANCING,
    chart.RESTRICTED_NET_ASSETS: FINANCING,
    chart.UNRESTRICTED_NET_ASSETS: FINANCING,
    chart.CONTRIBUTION_REVENUE: OPERATING,
    chart.MATCHING_REVENUE: OPERATING,
    chart.RECYCLED_PROFIT_REVENUE: OPERATING,
    chart.FINE_REVENUE: OPERATING,
    chart.TRANSFERS_FROM_OTHER_FUNDS: FINANCING,
    chart.GRANT_EXPENSE: OPERATING,
    chart.RELIEF_EXPENSE: OPERATING,
    chart.GUARANTEE_SUPPORT_EXPENSE: OPERATING,
    chart.TRANSFER_EXPENSE: FINANCING,
    chart.ADMINISTRATION_EXPENSE: OPERATING,
}
ACTIVITY_BY_TYPE = {AccountType.ASSET: INVESTING, AccountType.LIABILITY: OPERATING,
                    AccountType.NET_ASSETS: FINANCING, AccountType.REVENUE: OPERATING,
                    AccountType.EXPENSE: OPERATING}

# Pairs eliminated on consolidation: (the asset or revenue side, the liability or expense side).
INTERFUND_BALANCES = (chart.DUE_FROM_OTHER_FUNDS, chart.DUE_TO_OTHER_FUNDS)
INTERFUND_TRANSFERS = (chart.TRANSFERS_FROM_OTHER_FUNDS, chart.TRANSFER_EXPENSE)
INTERFUND_CODES = frozenset(INTERFUND_BALANCES + INTERFUND_TRANSFERS)

POSITION, OPERATIONS, NET_ASSETS, CASH_FLOW = "position", "operations", "net-assets", "cash-flow"
KINDS = (POSITION, OPERATIONS, NET_ASSETS, CASH_FLOW)
TITLES = {
    POSITION: ("재정상태표", "Statement of financial position"),
    OPERATIONS: ("재정운영표", "Operating statement"),
    NET_ASSETS: ("순자산변동표", "Statement of changes in net assets"),
    CASH_FLOW: ("현금흐름표", "Cash-flow statement"),
}
ACTIVITY_LABELS = {
    OPERATING: (("운영활동", "Operating activities"), ("운영활동 순현금흐름", "Net cash from operating activities")),
    INVESTING: (("투자활동", "Investing activities"), ("투자활동 순현금흐름", "Net cash from investing activities")),
    FINANCING: (("재무활동", "Financing activities"), ("재무활동 순현금흐름", "Net cash from financing activities")),
}


# Periods


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    @property
    def opening_day(self) -> date:
        """The last day before the period: opening balances are balances as of then."""
        return self.date_from - timedelta(days=1)

    def year_before(self) -> Period:
        return Period(_year_earlier(self.date_from), _year_earlier(self.date_to))

    def __str__(self) -> str:
        return f"{self.date_from:%Y-%m-%d} – {self.date_to:%Y-%m-%d}"


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def fiscal_year(year: int | None = None) -> Period:
    """The fiscal year (the calendar year, DOMAIN.md §8); this year by default."""
    year = year or timezone.localdate().year
    return Period(date(year, 1, 1), date(year, 12, 31))


def period_between(date_from: date | None, date_to: date | None) -> Period:
    """The period a reader asked for: a missing end is the fiscal year's, taken from the other end if given."""
    if date_from is None and date_to is None:
        return fiscal_year()
    date_from = date_from or date(date_to.year, 1, 1)
    return Period(date_from, date_to or date(date_from.year, 12, 31))


# Scopes: one fund, or all four consolidated


@dataclass(frozen=True)
class Scope:
    code: str
    name_ko: str
    name_en: str
    ledger_ids: tuple[int, ...]

    @property
    def is_consolidated(self) -> bool:
        return self.code == CONSOLIDATED


def scopes() -> list[Scope]:
    """Every fund, then the consolidation of all of them."""
    funds = list(Fund.objects.order_by("pk"))
    found = [Scope(f.code, f.name_ko, f.name_en, (f.ledger_id,)) for f in funds]
    found.append(Scope(CONSOLIDATED, f"통합({len(funds)}개 기금)", "Consolidated (all funds)",
                       tuple(f.ledger_id for f in funds)))
    return found


def scope_get(code: str) -> Scope | None:
    return next((s for s in scopes() if s.code == code), None)


# Figures: what one period reads from the ledger


@dataclass(frozen=True)
class AccountInfo:
    code: str
    type: str
    name_ko: str
    name_en: str


@dataclass
class Figures:
    """Signed debit-minus-credit sums per account code over the scope's ledgers, for one period."""

    accounts: dict[str, AccountInfo]
    opening: dict[str, int]
    closing: dict[str, int]
    movement: dict[str, int]  # during the period, closing entries left out
    cash_flow: dict[str, int]  # cash received (+) or paid (−) against each counter-account

    def codes(self, type_: str) -> list[str]:
        return sorted(code for code, info in self.accounts.items() if info.type == type_)


def _signed(rows, key: str = "account__code") -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r[key]] += (r["d"] or 0) - (r["c"] or 0)
    return totals


def _accounts(ledger_ids: Iterable[int]) -> dict[str, AccountInfo]:
    rows = (Account.objects.filter(ledger_id__in=ledger_ids, currency=CURRENCY).order_by("code", "ledger_id")
            .values_list("code", "type", "name_ko", "name_en"))
    found: dict[str, AccountInfo] = {}
    for code, type_, ko, en in rows:
        found.setdefault(code, AccountInfo(code, type_, ko, en))
    return found


def _balances(ledger_ids: Iterable[int], as_of: date) -> dict[str, int]:
    rows = (AccountDay.objects.filter(account__ledger_id__in=ledger_ids, account__currency=CURRENCY, day__lte=as_of)
            .values("account__code").annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    return _signed(rows)


def _movements(ledger_ids: Iterable[int], period: Period) -> dict[str, int]:
    """Day totals of the period, less the lines of the closing entries dated in it."""
    days = (AccountDay.objects
            .filter(account__ledger_id__in=ledger_ids, account__currency=CURRENCY,
                    day__range=(period.date_from, period.date_to))
            .values("account__code").annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    closing_entries = JournalEntry.objects.filter(
        ledger_id__in=ledger_ids, effective_date__range=(period.date_from, period.date_to),
        reference__startswith=CLOSING_REFERENCE_PREFIX).values("id")
    closing = (JournalLine.objects.filter(entry_id__in=closing_entries, currency=CURRENCY)
               .values("account__code").annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    totals = _signed(days)
    for code, signed in _signed(closing).items():
        totals[code] -= signed
    return totals


def _cash_flows(ledger_ids: Iterable[int], period: Period) -> dict[str, int]:
    """For the entries of the period that move cash, the other lines summed per account: an entry balances, so
    their credits less debits are exactly the cash it brought in (or, negative, paid out)."""
    cash_accounts = list(Account.objects.filter(ledger_id__in=ledger_ids, currency=CURRENCY, type=AccountType.ASSET,
                                                code__startswith=CASH_CODE_PREFIX).values_list("id", flat=True))
    cash_entries = (JournalLine.objects  # by (account, effective_date): the lines' own index
                    .filter(account_id__in=cash_accounts, effective_date__range=(period.date_from, period.date_to))
                    .values("entry_id"))
    rows = (JournalLine.objects.filter(entry_id__in=cash_entries, currency=CURRENCY)
            .exclude(account_id__in=cash_accounts)
            .values("account__code").annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    return {code: -signed for code, signed in _signed(rows).items()}


def figures_read(scope: Scope, period: Period) -> Figures:
    ids = scope.ledger_ids
    return Figures(accounts=_accounts(ids), opening=_balances(ids, period.opening_day),
                   closing=_balances(ids, period.date_to), movement=_movements(ids, period),
                   cash_flow=_cash_flows(ids, period))


# Statements


@dataclass(frozen=True)
class Row:
    key: str
    label_ko: str
    label_en: str
    amount: int
    prior: int
    kind: str = "line"  # line, heading, subtotal, total

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


@dataclass(frozen=True)
class Check:
    label_ko: str
    label_en: str
    ok: bool


@dataclass
class Statement:
    kind: str
    scope: Scope
    period: Period
    prior_period: Period
    rows: list[Row]
    checks: list[Check] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def title_ko(self) -> str:
        return TITLES[self.kind][0]

    @property
    def title_en(self) -> str:
        return TITLES[self.kind][1]

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)


@dataclass(frozen=True)
class _Draft:
    """A row of one period before the comparative is put beside it."""

    key: str
    label_ko: str
    label_en: str
    amount: int
    kind: str = "line"
    optional: bool = False  # an account line, left out when nil in both periods


def _heading(key: str, labels: tuple[str, str]) -> _Draft:
    return _Draft(key, *labels, amount=0, kind="heading")


def _account_rows(figures: Figures, codes: Iterable[str], values: dict[str, int], sign: int) -> list[_Draft]:
    return [_Draft(code, figures.accounts[code].name_ko, figures.accounts[code].name_en, sign * values.get(code, 0),
                   optional=True) for code in codes]


@dataclass(frozen=True)
class _Eliminations:
    balances: int  # due from / due to matched against each other
    transfers: int  # transfer revenue / expense matched against each other


def _eliminations(scope: Scope, closing: dict[str, int], movement: dict[str, int]) -> _Eliminations:
    if not scope.is_consolidated:
        return _Eliminations(0, 0)
    due_from, due_to = closing.get(INTERFUND_BALANCES[0], 0), -closing.get(INTERFUND_BALANCES[1], 0)
    revenue, expense = -movement.get(INTERFUND_TRANSFERS[0], 0), movement.get(INTERFUND_TRANSFERS[1], 0)
    return _Eliminations(max(min(due_from, due_to), 0), max(min(revenue, expense), 0))


def _eliminated_closing(scope: Scope, figures: Figures) -> dict[str, int]:
    closing = dict(figures.closing)
    matched = _eliminations(scope, figures.closing, figures.movement).balances
    closing[INTERFUND_BALANCES[0]] = closing.get(INTERFUND_BALANCES[0], 0) - matched
    closing[INTERFUND_BALANCES[1]] = closing.get(INTERFUND_BALANCES[1], 0) + matched
    return closing


def _eliminated_movement(scope: Scope, figures: Figures) -> dict[str, int]:
    movement = dict(figures.movement)
    matched = _eliminations(scope, figures.closing, figures.movement).transfers
    movement[INTERFUND_TRANSFERS[0]] = movement.get(INTERFUND_TRANSFERS[0], 0) + matched
    movement[INTERFUND_TRANSFERS[1]] = movement.get(INTERFUND_TRANSFERS[1], 0) - matched
    return movement


def _unclosed_surplus(figures: Figures, balances: dict[str, int]) -> int:
    """Revenue less expense not yet closed into net assets, as of the balances' day."""
    nominal = figures.codes(AccountType.REVENUE) + figures.codes(AccountType.EXPENSE)
    return -sum(balances.get(code, 0) for code in nominal)


def _net_assets(figures: Figures, balances: dict[str, int]) -> int:
    return -sum(balances.get(code, 0) for code in figures.codes(AccountType.NET_ASSETS)) + _unclosed_surplus(
        figures, balances)


def _position(scope: Scope, figures: Figures) -> list[_Draft]:
    closing = _eliminated_closing(scope, figures)
    assets = figures.codes(AccountType.ASSET)
    liabilities = figures.codes(AccountType.LIABILITY)
    net_assets = figures.codes(AccountType.NET_ASSETS)
    total_assets = sum(closing.get(c, 0) for c in assets)
    total_liabilities = -sum(closing.get(c, 0) for c in liabilities)
    total_net_assets = _net_assets(figures, closing)
    return [
        _heading("assets", ("자산", "Assets")),
        *_account_rows(figures, assets, closing, 1),
        _Draft("total_assets", "자산 총계", "Total assets", total_assets, "total"),
        _heading("liabilities", ("부채", "Liabilities")),
        *_account_rows(figures, liabilities, closing, -1),
        _Draft("total_liabilities", "부채 총계", "Total liabilities", total_liabilities, "subtotal"),
        _heading("net_assets", ("순자산", "Net assets")),
        *_account_rows(figures, net_assets, closing, -1),
        _Draft("unclosed_surplus", "미마감 운영차액", "Surplus not yet closed", _unclosed_surplus(figures, closing)),
        _Draft("total_net_assets", "순자산 총계", "Total net assets", total_net_assets, "subtotal"),
        _Draft("total_liabilities_and_net_assets", "부채와 순자산 총계", "Total liabilities and net assets",
               total_liabilities + total_net_assets, "total"),
    ]


def _operations(scope: Scope, figures: Figures) -> list[_Draft]:
    movement = _eliminated_movement(scope, figures)
    revenue = figures.codes(AccountType.REVENUE)
    expense = figures.codes(AccountType.EXPENSE)
    total_revenue = -sum(movement.get(c, 0) for c in revenue)
    total_expense = sum(movement.get(c, 0) for c in expense)
    return [
        _heading("revenue", ("수익", "Revenue")),
        *_account_rows(figures, revenue, movement, -1),
        _Draft("total_revenue", "수익 합계", "Total revenue", total_revenue, "subtotal"),
        _heading("expense", ("비용", "Expense")),
        *_account_rows(figures, expense, movement, 1),
        _Draft("total_expense", "비용 합계", "Total expense", total_expense, "subtotal"),
        _Draft("surplus", "운영차액 (수익 − 비용)", "Surplus (deficit): revenue less expense",
               total_revenue - total_expense, "total"),
    ]


def _surplus(scope: Scope, figures: Figures) -> int:
    return next(d.amount for d in _operations(scope, figures) if d.key == "surplus")


def _changes(scope: Scope, figures: Figures) -> list[_Draft]:
    opening = _net_assets(figures, figures.opening)
    surplus = _surplus(scope, figures)
    direct = _account_rows(figures, figures.codes(AccountType.NET_ASSETS), figures.movement, -1)
    closing = opening + surplus + sum(d.amount for d in direct)
    return [
        _Draft("opening", "기초 순자산", "Net assets at the start of the period", opening, "subtotal"),
        _Draft("surplus", "운영차액 (재정운영표)", "Surplus (deficit) for the period", surplus),
        _heading("direct", ("순자산에 직접 반영된 변동", "Changes recorded directly in net assets")),
        *direct,
        _Draft("closing", "기말 순자산", "Net assets at the end of the period", closing, "total"),
    ]


def _activity(figures: Figures, code: str) -> str:
    return CASH_FLOW_ACTIVITY.get(code) or ACTIVITY_BY_TYPE.get(figures.accounts[code].type, OPERATING)


def _cash(figures: Figures, balances: dict[str, int]) -> int:
    return sum(balances.get(code, 0) for code in figures.codes(AccountType.ASSET)
               if code.startswith(CASH_CODE_PREFIX))


def _cash_flow(scope: Scope, figures: Figures) -> list[_Draft]:
    flows = {code: won for code, won in figures.cash_flow.items() if code in figures.accounts}
    if scope.is_consolidated:
        # Money between the funds stays inside the group: one net line, nil when both sides are booked.
        interfund = sum(flows.pop(code, 0) for code in INTERFUND_CODES)
    drafts: list[_Draft] = []
    net = 0
    for activity in ACTIVITIES:
        heading, subtotal = ACTIVITY_LABELS[activity]
        codes = sorted(code for code in flows if _activity(figures, code) == activity)
        rows = _account_rows(figures, codes, flows, 1)
        if scope.is_consolidated and activity == FINANCING:
            rows.append(_Draft("interfund", "기금 간 자금이동 (상계 후)", "Between the funds (after elimination)",
                               interfund, optional=True))
        total = sum(r.amount for r in rows)
        net += total
        drafts += [_heading(activity, heading), *rows, _Draft(f"net_{activity}", *subtotal, total, "subtotal")]
    opening = _cash(figures, figures.opening)
    return [
        *drafts,
        _Draft("net_change", "현금의 순증감", "Net increase (decrease) in cash", net, "subtotal"),
        _Draft("opening_cash", "기초 현금", "Cash at the start of the period", opening),
        _Draft("closing_cash", "기말 현금", "Cash at the end of the period", _cash(figures, figures.closing), "total"),
    ]


BUILDERS = {POSITION: _position, OPERATIONS: _operations, NET_ASSETS: _changes, CASH_FLOW: _cash_flow}


def _side_by_side(current: list[_Draft], prior: list[_Draft]) -> list[Row]:
    """Rows of both periods in the current period's order; an account only the prior period used joins its
    section. Account lines with nothing in either period are left out; computed lines always stay."""
    prior_amounts = {d.key: d.amount for d in prior}
    keys = {d.key for d in current}
    order = list(current)
    for index, draft in enumerate(prior):
        if draft.key not in keys:
            after = prior[index - 1].key if index else None
            position = next((i + 1 for i, d in enumerate(order) if d.key == after), len(order))
            order.insert(position, draft)
            keys.add(draft.key)
    current_amounts = {d.key: d.amount for d in current}
    rows = []
    for d in order:
        amount, before = current_amounts.get(d.key, 0), prior_amounts.get(d.key, 0)
        if d.optional and amount == 0 and before == 0:
            continue
        rows.append(Row(d.key, d.label_ko, d.label_en, amount, before, d.kind))
    return rows


def _interfund_agrees(scope: Scope, figures: Figures, kind: str) -> list[Check]:
    """Consolidated: what one fund says another owes it matches what that one says it owes (and likewise the
    transfers), so that nothing is left over once they are eliminated."""
    if not scope.is_consolidated:
        return []
    if kind == POSITION:
        due_from, due_to = INTERFUND_BALANCES
        left = figures.closing.get(due_from, 0) + figures.closing.get(due_to, 0)
        return [Check("기금 간 채권 = 기금 간 채무", "Due from other funds = due to other funds", left == 0)]
    revenue, expense = INTERFUND_TRANSFERS
    left = figures.movement.get(revenue, 0) + figures.movement.get(expense, 0)
    return [Check("타기금 전입 = 타기금 전출", "Transfers from other funds = transfers to other funds", left == 0)]


def _checks(kind: str, scope: Scope, figures: Figures, rows: list[_Draft]) -> list[Check]:
    amount = {d.key: d.amount for d in rows}
    if kind == POSITION:
        return [Check("자산 = 부채 + 순자산", "Assets = liabilities + net assets",
                      amount["total_assets"] == amount["total_liabilities_and_net_assets"]),
                *_interfund_agrees(scope, figures, kind)]
    if kind == OPERATIONS:
        return _interfund_agrees(scope, figures, kind)
    if kind == NET_ASSETS:
        position = {d.key: d.amount for d in _position(scope, figures)}
        return [Check("기말 순자산 = 재정상태표의 순자산", "Closing net assets = net assets in the financial position",
                      amount["closing"] == position["total_net_assets"])]
    if kind == CASH_FLOW:
        return [Check("기초 현금 + 순증감 = 기말 현금", "Opening cash + net change = closing cash",
                      amount["opening_cash"] + amount["net_change"] == amount["closing_cash"])]
    return []


def _notes(kind: str, scope: Scope, figures: Figures) -> list[tuple[str, str]]:
    notes = []
    if scope.is_consolidated:
        gone = _eliminations(scope, figures.closing, figures.movement)
        notes.append((
            f"통합 재무제표는 4개 기금의 합계이며, 기금 간 채권·채무(타기금 미수금·미지급금 {gone.balances:,}원)와 "
            f"전입·전출(타기금 전입 수익·전출 비용 {gone.transfers:,}원)을 상계하였습니다.",
            f"The consolidated statements add up the four funds and eliminate what they owe each other (due from / "
            f"due to other funds, {gone.balances:,} won) and their transfers (transfers from / to other funds, "
            f"{gone.transfers:,} won).",
        ))
    if kind == CASH_FLOW:
        notes.append((
            "현금 거래는 상대계정으로 분류합니다: 융자금·수출사업 투자자산은 투자활동, 기금 간 채권·채무와 전입·전출, "
            "순자산 직접 변동은 재무활동, 출연금·정부매칭·과징금·성과공유·지원금·피해구제·보증연계·관리비는 운영활동.",
            "Cash lines are classified by their counter-accounts: loans and export project investments are investing; "
            "money between the funds and direct changes of net assets are financing; contributions, matching, fines, "
            "recycled profit, grants, relief, guarantee support and administration are operating.",
        ))
    if kind == OPERATIONS:
        notes.append(("연말 마감분개는 제외합니다.", "Year-end closing entries are left out."))
    return notes


def _statement(kind: str, scope: Scope, period: Period, current: Figures, prior: Figures) -> Statement:
    drafts = BUILDERS[kind](scope, current)
    return Statement(kind=kind, scope=scope, period=period, prior_period=period.year_before(),
                     rows=_side_by_side(drafts, BUILDERS[kind](scope, prior)),
                     checks=_checks(kind, scope, current, drafts), notes=_notes(kind, scope, current))


def statement_compute(*, kind: str, scope: Scope, period: Period) -> Statement:
    """One statement for `period`, with the same period a year earlier beside it."""
    return statements_compute(scope=scope, period=period, kinds=(kind,))[0]


def statements_compute(*, scope: Scope, period: Period, kinds: Iterable[str] = KINDS) -> list[Statement]:
    """The statements asked for (all four by default), reading each period's figures once."""
    current, prior = figures_read(scope, period), figures_read(scope, period.year_before())
    return [_statement(kind, scope, period, current, prior) for kind in kinds]


# Notes to the statements


@dataclass(frozen=True)
class ClassificationRow:
    code: str
    name_ko: str
    name_en: str
    activity_ko: str
    activity_en: str


@dataclass(frozen=True)
class ClosedYears:
    name_ko: str
    name_en: str
    years: list[int]


@dataclass(frozen=True)
class Notes:
    classification: list[ClassificationRow]
    closed_years: list[ClosedYears]


def notes_compute(*, scope: Scope) -> Notes:
    """What the notes say beside the figures: the cash-flow classification table, and which fiscal years each
    fund has closed (closed years are locked; open ones may still change)."""
    accounts = _accounts(scope.ledger_ids)
    classification = []
    for code in sorted(accounts):
        info = accounts[code]
        if info.type == AccountType.ASSET and code.startswith(CASH_CODE_PREFIX):
            continue
        activity = ACTIVITY_LABELS[CASH_FLOW_ACTIVITY.get(code) or ACTIVITY_BY_TYPE.get(info.type, OPERATING)][0]
        classification.append(ClassificationRow(code, info.name_ko, info.name_en, *activity))
    funds = Fund.objects.filter(ledger_id__in=scope.ledger_ids).select_related("ledger").order_by("pk")
    closed = [ClosedYears(f.name_ko, f.name_en, sorted(f.ledger.closed_years or [])) for f in funds]
    return Notes(classification=classification, closed_years=closed)
