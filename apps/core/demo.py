"""Demo data: the four funds (set up by `apps.funds`), the people who use them, and a believable year.

Everything here is idempotent. Rows are found or created by their natural keys, every posting carries an
idempotency key, and the year of postings is planned by a seeded generator, so a second run posts nothing and
changes nothing. Money only moves through `apps.ledger.services`, as it would anywhere else.

On top of the ledger's year, the contributors' portal gets its own: a dozen and more organisations with valid
business registration numbers, members who sign in to the portal, and a few hundred contributions submitted and
confirmed through `apps.contributions.services` (each with its idempotency key), so receipts and tax credits exist.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from apps.contributions.models import RECEIVED_STATUSES, Contribution, ContributionStatus
from apps.contributions.services import (
    contribution_confirm,
    contribution_submit,
    contribution_withdraw,
    designated_uses_setup,
)
from apps.core.extensions import app_modules
from apps.core.money import krw
from apps.core.roles import AUDITORS, FUND_ADMINISTRATORS, role_permissions_grant
from apps.funds import chart
from apps.funds.chart import CASH
from apps.funds.models import Fund
from apps.funds.services import funds_setup
from apps.ledger import services
from apps.ledger.models import Account, FiscalPeriod, JournalEntry
from apps.ledger.sealing import seal_ledger_fully
from apps.ledger.services import credit, debit
from apps.matching.models import MatchingBudget, MatchingRule
from apps.matching.services import matching_sweep
from apps.organizations.identifiers import brn_check_digit
from apps.organizations.models import Membership, MembershipRole, Organization, SizeClass
from apps.organizations.services import membership_add, organization_create

DEMO_YEAR = 2026
BILLION = 10**8  # 억 (10⁸ won): the unit Korean budgets are counted in


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    group: str | None
    label_ko: str
    label_en: str
    superuser: bool = False


DEMO_USERS = (
    DemoUser("admin", "admin-demo-2026", None, "최고 관리자", "superuser", superuser=True),  # noqa: S106
    DemoUser("fundadmin", "fundadmin-demo-2026", FUND_ADMINISTRATORS, "기금 관리자", "fund administrator"),  # noqa: S106
    DemoUser("auditor", "auditor-demo-2026", AUDITORS, "감사인 (조회 전용)", "auditor (view only)"),  # noqa: S106
)


# The government, as a party of the Strategic Export Finance Fund's capital postings.
MOEF = ("gov:moef", "기획재정부", "Ministry of Economy and Finance")


# Roles


def grant_role_permissions() -> None:
    """The staff groups' permissions on every project app (also granted after each migrate)."""
    for config in apps.get_app_configs():
        if config.name.startswith("apps."):
            role_permissions_grant(config.label)


def ensure_users() -> dict[str, object]:
    """The three demo logins; a password someone changed is set back to the demo one."""
    users = {}
    for spec in DEMO_USERS:
        user, _ = get_user_model().objects.get_or_create(username=spec.username)
        wanted = {"is_staff": True, "is_superuser": spec.superuser, "is_active": True}
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, wanted[name])
        if not user.check_password(spec.password):
            user.set_password(spec.password)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
        if spec.group:
            user.groups.add(Group.objects.get(name=spec.group))
        users[spec.username] = user
    return users


# Books


def ensure_books(actor) -> dict[str, dict[str, Account]]:
    """The four funds with their ledgers and charts (`funds_setup`), and the demo year open in each; returns
    {fund code: {account code: account}}."""
    funds_setup(actor=actor)
    books: dict[str, dict[str, Account]] = {}
    for fund in Fund.objects.select_related("ledger"):
        FiscalPeriod.objects.get_or_create(ledger=fund.ledger, year=DEMO_YEAR)
        books[fund.code] = {a.code: a for a in Account.objects.filter(ledger=fund.ledger)}
    return books


# The year's postings, planned without touching the database

LAST_DAY = date(DEMO_YEAR, 11, 20)
Leg = tuple[str, str, int, str]  # (account code, "D" or "C", won, party)


@dataclass(frozen=True)
class Step:
    """One posting of a fund's story, and the postings it leads to (after so many days) once it is made."""

    key: str
    memo: str
    reference: str
    lines: tuple[Leg, ...]
    then: tuple[tuple[int, Step], ...] = ()


@dataclass(frozen=True)
class Planned:
    ledger: str
    key: str
    day: date
    memo: str
    reference: str
    lines: tuple[Leg, ...]


def step(key: str, memo: str, reference: str, *lines: Leg, then: tuple[tuple[int, Step], ...] = ()) -> Step:
    return Step(key, memo, reference, lines, then)


def moved(source: str, amount: int, party: str = "", *, into: str) -> tuple[Leg, Leg]:
    """Debit `into`, credit `source`: the two legs of a simple movement."""
    return (into, "D", amount, party), (source, "C", amount, party)


def _memo(kind_ko: str, kind_en: str, who: tuple[str, str, str]) -> str:
    return f"{kind_ko}: {who[1]} / {kind_en}: {who[2]}"


def _business_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _mondays(start: date, end: date) -> list[date]:
    first = start + timedelta(days=(7 - start.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]


def _month_ends() -> list[date]:
    """The last weekday of February to October."""
    ends = []
    for month in range(2, 11):
        day = date(DEMO_YEAR, month + 1, 1) - timedelta(days=1)
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        ends.append(day)
    return ends


class FundYear:
    """One fund's year: steps queued by date, then played in date order the way a treasurer would, never letting
    cash go below zero (a payment that cash cannot cover waits a week)."""

    def __init__(self, code: str, rng: random.Random, opening_cash: int = 0):
        self.code, self.rng, self.opening_cash = code, rng, opening_cash
        self.queue: dict[date, list[Step]] = defaultdict(list)

    def on(self, day: date, item: Step) -> None:
        day = _business_day(day)
        if day <= LAST_DAY:
            self.queue[day].append(item)

    def amount(self, low_eok: float, high_eok: float, step_won: int = 10**7) -> int:
        """A whole amount between two figures in 억 won, in steps of `step_won` (천만 won by default)."""
        low, high = int(low_eok * BILLION) // step_won, int(high_eok * BILLION) // step_won
        return self.rng.randrange(low, high + 1) * step_won

    def weekday_of(self, monday: date) -> date:
        return monday + timedelta(days=self.rng.randrange(5))

    def monthly_costs(self, memo: str, low_eok: float, high_eok: float) -> None:
        for day in _month_ends():
            self.on(day, step(f"admin:{day:%m}", memo, f"admin:{self.code}:{day:%Y-%m}",
                              *moved(CASH, self.amount(low_eok, high_eok), into=chart.ADMINISTRATION_EXPENSE)))

    def play(self) -> list[Planned]:
        cash, out = self.opening_cash, []
        while self.queue:
            day = min(self.queue)
            for item in self.queue.pop(day):
                change = sum(amt if side == "D" else -amt for code, side, amt, _ in item.lines if code == CASH)
                if cash + change < 0:
                    self.on(day + timedelta(days=7), item)
                    continue
                cash += change
                out.append(Planned(self.code, f"demo-{DEMO_YEAR}:{self.code}:{item.key}", day, item.memo,
                                   item.reference, item.lines))
                for after, follow in item.then:
                    self.on(day + timedelta(days=after), follow)
        return out


def _contributed(fund: str) -> int:
    """The cash the demo's confirmed contributions bring a fund (posted before the year's plan)."""
    return sum(p.amount for p in plan_contributions() if p.fund == fund and p.outcome == ContributionStatus.CONFIRMED)


def _plan_wwcf(rng: random.Random) -> list[Planned]:
    """The fund's own running costs. Its money comes in through the rooms that own it: contributions (confirmed by
    the contributions service), government matching, and the joint-expansion grants that spend it."""
    fund = FundYear("wwcf", rng, _contributed("wwcf"))
    fund.monthly_costs("기금 운용 관리비 / Fund administration costs", 2, 4)
    return fund.play()


def _plan_wwfp(rng: random.Random) -> list[Planned]:
    """The pool's operating costs; contributions and guarantee-linked support come from their rooms."""
    fund = FundYear("wwfp", rng, _contributed("wwfp"))
    fund.monthly_costs("상생금융 운영비 / Pool operating costs", 1, 3)
    return fund.play()


def _plan_sef(rng: random.Random) -> list[Planned]:
    """The government's quarterly capital and the Export-Import Bank's fee; projects and profit recycling come
    from the export-finance room."""
    fund = FundYear("sef", rng)
    for quarter, day in enumerate((date(DEMO_YEAR, 1, 30), date(DEMO_YEAR, 4, 30), date(DEMO_YEAR, 7, 31),
                                   date(DEMO_YEAR, 10, 30)), start=1):
        fund.on(day, step(f"government:Q{quarter}", _memo("정부 출연", "Government contribution", MOEF),
                          f"government:sef:{DEMO_YEAR}Q{quarter}",
                          *moved(chart.MATCHING_REVENUE, 500 * BILLION, MOEF[0], into=CASH)))
    fund.monthly_costs("수출입은행 위탁 운용비 / Management fee to the Export-Import Bank", 3, 6)
    return fund.play()


def plan_year(seed: int = DEMO_YEAR) -> list[Planned]:
    """The demo year's ordinary postings of all four funds, in date order. Same seed, same plan."""
    rng = random.Random(seed)
    planned = [*_plan_wwcf(rng), *_plan_wwfp(rng), *_plan_sef(rng)]
    return sorted(planned, key=lambda p: p.day)  # stable: each fund keeps the order it was played in


# Posting


def _specs(plan: list[Planned], books: dict[str, dict[str, Account]]) -> Iterator[services.EntrySpec]:
    for p in plan:
        accounts = books[p.ledger]
        lines = [(debit if side == "D" else credit)(accounts[code], krw(amount), party=party)
                 for code, side, amount, party in p.lines]
        yield services.entry_spec(ledger=accounts[CASH].ledger_id, effective_date=p.day, lines=lines, memo=p.memo,
                                  reference=p.reference, idempotency_key=p.key)


def _post_special(actor, books: dict[str, dict[str, Account]]) -> None:
    """The year's less ordinary moments: a transfer between funds, and an entry posted twice in error and
    reversed."""
    sef, wwcf = books["sef"], books["wwcf"]
    key = f"demo-{DEMO_YEAR}:transfer:sef-wwcf"
    common = {"actor": actor, "amount": krw(50 * BILLION), "reference": "transfer:sef-wwcf:2026-07"}
    services.interfund_transfer_post(
        **common, effective_date=date(DEMO_YEAR, 7, 15), idempotency_key=key,
        source_debit=sef[chart.TRANSFER_EXPENSE], source_credit=sef[chart.DUE_TO_OTHER_FUNDS],
        target_debit=wwcf[chart.DUE_FROM_OTHER_FUNDS], target_credit=wwcf[chart.TRANSFERS_FROM_OTHER_FUNDS],
        memo="성과공유 환원분 상생협력기금 전출 / Recycled profit channelled to the Win-Win Cooperation Fund",
    )
    services.interfund_transfer_post(
        **common, effective_date=date(DEMO_YEAR, 7, 31),
        source_debit=sef[chart.DUE_TO_OTHER_FUNDS], source_credit=sef[CASH],
        target_debit=wwcf[CASH], target_credit=wwcf[chart.DUE_FROM_OTHER_FUNDS], idempotency_key=f"{key}:settled",
        memo="기금 간 전출금 정산 / Inter-fund transfer settled in cash",
    )
    rent = krw(12 * 10**7)
    lease = {"actor": actor, "ledger": wwcf[CASH].ledger_id, "effective_date": date(DEMO_YEAR, 5, 29),
             "lines": [debit(wwcf[chart.ADMINISTRATION_EXPENSE], rent), credit(wwcf[CASH], rent)],
             "reference": "admin:wwcf:lease-2026-05"}
    services.entry_post(**lease, memo="사무실 임차료 5월분 / Office lease, May",
                        idempotency_key=f"demo-{DEMO_YEAR}:wwcf:lease-05")
    duplicate = services.entry_post(**lease, memo="사무실 임차료 5월분 (중복 입력) / Office lease, May (entered twice)",
                                    idempotency_key=f"demo-{DEMO_YEAR}:wwcf:lease-05-duplicate")
    services.entry_reverse(actor=actor, entry=duplicate, memo="중복 입력 취소 / Duplicate entry reversed",
                           idempotency_key=f"demo-{DEMO_YEAR}:wwcf:lease-05-duplicate:reversal")


@dataclass(frozen=True)
class DemoResult:
    entries_before: int
    entries_after: int
    contributions_before: int = 0
    contributions_after: int = 0

    @property
    def posted(self) -> int:
        return self.entries_after - self.entries_before

    @property
    def contributed(self) -> int:
        return self.contributions_after - self.contributions_before


@dataclass(frozen=True)
class DemoContext:
    """What each room's `demo.ensure_demo(context)` receives: the fund administrator who acts, every demo user by
    login, the organisations by slug, each organisation's finance officer by slug, and each fund's accounts by
    code. A room's demo must be idempotent (idempotency keys or get_or_create) like the rest."""

    actor: object
    users: dict[str, object]
    organizations: dict[str, Organization]
    officers: dict[str, object]
    books: dict[str, dict[str, Account]]


def load_demo() -> DemoResult:
    """Create (or find) everything the demo needs, post the demo year, and seal every ledger."""
    before = JournalEntry.objects.count()
    contributions_before = Contribution.objects.count()
    with transaction.atomic():
        grant_role_permissions()
        users = ensure_users()
        books = ensure_books(users["fundadmin"])
        designated_uses_setup(actor=users["fundadmin"])
        organizations = ensure_organizations(users["fundadmin"])
        members = ensure_members(users["fundadmin"], organizations)
        ensure_matching()
    actor = users["fundadmin"]
    ensure_contributions(actor, organizations, members)
    matching_sweep()  # whatever confirmation did not match on commit (a broker without a worker, a rerun)
    services.entries_post_batch(actor=actor, entries=list(_specs(plan_year(), books)))
    _post_special(actor, books)
    context = DemoContext(actor=actor, users=users, organizations=organizations, officers=members, books=books)
    for room in app_modules("demo"):
        room.ensure_demo(context)
    for ledger_id in sorted({accounts[CASH].ledger_id for accounts in books.values()}):
        seal_ledger_fully(ledger_id)
    return DemoResult(before, JournalEntry.objects.count(), contributions_before, Contribution.objects.count())


def ensure_matching() -> None:
    """1 : 1 government matching of the win-win cooperation fund's contributions, with a 2026 budget of ₩300억 that
    the demo year outruns, so some contributions are matched in part and the last ones not at all."""
    wwcf = Fund.objects.get(code="wwcf")
    MatchingRule.objects.get_or_create(
        fund=wwcf, program="", valid_from=date(2026, 1, 1),
        defaults={"ratio": Decimal("1"), "valid_to": date(2030, 12, 31),
                  "description": "정부 1:1 매칭 · Government 1 : 1 matching"},
    )
    MatchingBudget.objects.get_or_create(fund=wwcf, program="", year=2026,
                                         defaults={"amount": 30_000_000_000})


# The contributors' portal: organisations, their members, and a year of contributions


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name_ko: str
    name_en: str
    size_class: str
    fund: str = ""  # the fund it contributes to; empty for the SMEs, who only benefit
    related: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()


DEMO_ORGANIZATIONS = (
    DemoOrganization("samsung-electronics", "삼성전자", "Samsung Electronics", SizeClass.LARGE, "wwcf",
                     related=("hanbit-semitech",), partners=("daehan-precision", "hanbit-semitech",
                                                             "saesol-electronics")),
    DemoOrganization("sk-hynix", "SK하이닉스", "SK hynix", SizeClass.LARGE, "wwcf", partners=("saesol-electronics",)),
    DemoOrganization("kia", "기아", "Kia", SizeClass.LARGE, "wwcf", partners=("mirae-mobility-parts",)),
    DemoOrganization("hyundai-motor", "현대자동차", "Hyundai Motor", SizeClass.LARGE, "wwcf", related=("kia",),
                     partners=("mirae-mobility-parts", "cheongun-metal")),
    DemoOrganization("lg-electronics", "LG전자", "LG Electronics", SizeClass.LARGE, "wwcf"),
    DemoOrganization("posco-holdings", "POSCO홀딩스", "POSCO Holdings", SizeClass.LARGE, "wwcf",
                     partners=("cheongun-metal",)),
    DemoOrganization("kepco", "한국전력공사", "KEPCO", SizeClass.PUBLIC_ENTERPRISE, "wwcf"),
    DemoOrganization("naver", "네이버", "NAVER", SizeClass.PLATFORM, "wwcf"),
    DemoOrganization("kakao", "카카오", "Kakao", SizeClass.PLATFORM, "wwcf"),
    DemoOrganization("kb-financial", "KB금융지주", "KB Financial Group", SizeClass.FINANCIAL_INSTITUTION, "wwfp",
                     partners=("daehan-precision",)),
    DemoOrganization("shinhan-financial", "신한금융지주", "Shinhan Financial Group",
                     SizeClass.FINANCIAL_INSTITUTION, "wwfp"),
    DemoOrganization("ibk", "IBK기업은행", "Industrial Bank of Korea", SizeClass.FINANCIAL_INSTITUTION, "wwfp"),
    DemoOrganization("daehan-precision", "대한정밀", "Daehan Precision", SizeClass.SME),
    DemoOrganization("hanbit-semitech", "한빛세미텍", "Hanbit Semitech", SizeClass.SME),
    DemoOrganization("mirae-mobility-parts", "미래모빌리티부품", "Mirae Mobility Parts", SizeClass.SME),
    DemoOrganization("cheongun-metal", "청운금속", "Cheongun Metal", SizeClass.SME),
    DemoOrganization("saesol-electronics", "새솔전자", "Saesol Electronics", SizeClass.SME),
)


def demo_brn(n: int) -> str:
    """The n-th demo business registration number: a for-profit head office (81 or 86), fixed by n, with its check
    digit computed (DOMAIN.md §9), so every run gives every organisation the same valid number."""
    first_nine = f"{(211 + 37 * n) % 900 + 100:03d}{'81' if n % 3 else '86'}{(4201 + 733 * n) % 10_000:04d}"
    return f"{first_nine}{brn_check_digit(first_nine)}"


def ensure_organizations(actor) -> dict[str, Organization]:
    """The demo organisations, found by their registration numbers or registered through the organisations
    service with their related parties and partner SMEs; returns {slug: organisation}."""
    found: dict[str, Organization] = {}
    for n, spec in enumerate(DEMO_ORGANIZATIONS):
        found[spec.slug] = Organization.objects.filter(business_registration_number=demo_brn(n)).first()
    # SMEs first, so the companies can name them; a company's related companies come before it in the list.
    for n, spec in enumerate(DEMO_ORGANIZATIONS):
        if found[spec.slug] is None and not spec.fund:
            found[spec.slug] = organization_create(actor=actor, name_ko=spec.name_ko, name_en=spec.name_en,
                                                   business_registration_number=demo_brn(n),
                                                   size_class=spec.size_class)
    for n, spec in enumerate(DEMO_ORGANIZATIONS):
        if found[spec.slug] is None:
            found[spec.slug] = organization_create(
                actor=actor, name_ko=spec.name_ko, name_en=spec.name_en, business_registration_number=demo_brn(n),
                size_class=spec.size_class, related_parties=[found[s] for s in spec.related],
                partner_smes=[found[s] for s in spec.partners],
            )
    return found


@dataclass(frozen=True)
class DemoMember:
    username: str
    password: str
    organization: str
    role: str
    label_ko: str
    label_en: str


DEMO_MEMBERS = (
    DemoMember("samsung_officer", "samsung-demo-2026", "samsung-electronics", MembershipRole.FINANCE_OFFICER,  # noqa: S106
               "삼성전자 재무 담당자 (출연 신청)", "Samsung Electronics finance officer (submits)"),
    DemoMember("samsung_viewer", "viewer-demo-2026", "samsung-electronics", MembershipRole.VIEWER,  # noqa: S106
               "삼성전자 조회 전용", "Samsung Electronics viewer (read only)"),
    DemoMember("kb_officer", "kb-demo-2026", "kb-financial", MembershipRole.FINANCE_OFFICER,  # noqa: S106
               "KB금융지주 재무 담당자", "KB Financial Group finance officer"),
)


def ensure_members(actor, organizations: dict[str, Organization]) -> dict[str, object]:
    """The portal logins (not staff: they never see the back office); returns {organisation slug: officer}."""
    officers = {}
    for spec in DEMO_MEMBERS:
        user, _ = get_user_model().objects.get_or_create(username=spec.username)
        if not user.check_password(spec.password):
            user.set_password(spec.password)
            user.save(update_fields=["password"])
        organization = organizations[spec.organization]
        if not Membership.objects.filter(user=user, organization=organization).exists():
            membership_add(actor=actor, user=user, organization=organization, role=spec.role)
        if spec.role == MembershipRole.FINANCE_OFFICER:
            officers[spec.organization] = user
    return officers


CONTRIBUTIONS_PER_ORGANIZATION = 20
CONTRIBUTION_USES = ("performance_sharing", "technology_cooperation", "productivity", "environmental_management",
                     "wage_gap_relief", "technology_protection", "startup_support", "market_expansion",
                     "worker_welfare", "fair_trade")
PROGRAMS = ("협력사 스마트공장 구축", "2차 협력사 임금격차 해소", "탄소중립 공급망 지원", "기술보호 컨설팅", "")
PENDING_FROM = date(DEMO_YEAR, 11, 2)  # the most recent contributions are still waiting for the money


@dataclass(frozen=True)
class PlannedContribution:
    key: str
    organization: str
    fund: str
    amount: int
    day: date
    use: str
    beneficiaries: tuple[str, ...]
    program: str
    outcome: str  # the status it ends the demo in


def plan_contributions(seed: str = f"{DEMO_YEAR}:portal") -> list[PlannedContribution]:
    """Twenty contributions a year for each contributor, on business days from January to November: confirmed,
    except the latest (still submitted) and one in forty (withdrawn). Same seed, same plan."""
    rng = random.Random(seed)
    first, days = date(DEMO_YEAR, 1, 5), (LAST_DAY - date(DEMO_YEAR, 1, 5)).days
    plan = []
    for spec in DEMO_ORGANIZATIONS:
        if not spec.fund:
            continue
        step_won = 10**8 if spec.fund == "wwfp" else 10**7
        low, high = (10, 100) if spec.fund == "wwfp" else (1, 30)
        for n in range(CONTRIBUTIONS_PER_ORGANIZATION):
            day = _business_day(first + timedelta(days=rng.randrange(days)))
            named = rng.sample(spec.partners, k=min(len(spec.partners), rng.randrange(3))) if rng.random() < .4 else []
            outcome = (ContributionStatus.SUBMITTED if day >= PENDING_FROM
                       else ContributionStatus.WITHDRAWN if rng.random() < .025 else ContributionStatus.CONFIRMED)
            plan.append(PlannedContribution(
                key=f"demo-{DEMO_YEAR}:contribution:{spec.slug}:{n + 1:02d}", organization=spec.slug, fund=spec.fund,
                amount=rng.randrange(low * BILLION // step_won, high * BILLION // step_won + 1) * step_won,
                day=day, use=rng.choice(CONTRIBUTION_USES), beneficiaries=tuple(sorted(named)),
                program=rng.choice(PROGRAMS), outcome=outcome,
            ))
    return sorted(plan, key=lambda p: (p.day, p.key))


def ensure_contributions(actor, organizations: dict[str, Organization], officers: dict[str, object]) -> None:
    """Submit what is missing (by the organisation's finance officer where the demo has one), then take each
    contribution to the status the plan ends it in. A second run finds every key and every status in place."""
    plan = plan_contributions()
    existing = dict(Contribution.objects.filter(idempotency_key__in=[p.key for p in plan])
                    .values_list("idempotency_key", "status"))
    funds = {fund.code: fund for fund in Fund.objects.all()}
    for p in plan:
        status = existing.get(p.key)
        if status == p.outcome or (p.outcome == ContributionStatus.CONFIRMED and status in RECEIVED_STATUSES):
            continue  # done on an earlier run (and perhaps matched since)
        contribution = contribution_submit(
            actor=officers.get(p.organization, actor), organization=organizations[p.organization],
            fund=funds[p.fund], amount=p.amount, contribution_date=p.day, designated_use=p.use,
            beneficiaries=[organizations[s] for s in p.beneficiaries], program=p.program, idempotency_key=p.key,
        )
        if contribution.status != ContributionStatus.SUBMITTED:
            continue
        if p.outcome == ContributionStatus.CONFIRMED:
            contribution_confirm(actor=actor, contribution=contribution)
        elif p.outcome == ContributionStatus.WITHDRAWN:
            contribution_withdraw(actor=officers.get(p.organization, actor), contribution=contribution,
                                  reason="출연 금액 재산정으로 철회 / Withdrawn to recompute the amount")
