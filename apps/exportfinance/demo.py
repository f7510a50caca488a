"""Demo data of the Strategic Export Finance Fund: three export projects (Hyundai Motor, POSCO Holdings, LG
Electronics), their 2026 disbursements and a repayment, the 2026 H1 profit reports (one corrected, one a loss),
the shares recycled, and Hyundai Motor's share received, half of it channelled to the win-win cooperation fund and
settled in cash.

Idempotent: projects are found by beneficiary and name, every movement and report carries its idempotency key, and
assessing or receiving a share again changes nothing. Money moves only through `services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from apps.organizations.models import Membership, MembershipRole
from apps.organizations.services import membership_add

from . import services
from .models import ExportProject, FinancingType, ProfitReport

KEY = "demo-2026:exportfinance"
OFFICER = ("hyundai_officer", "hyundai-demo-2026", "hyundai-motor")  # a portal login that files reports


@dataclass(frozen=True)
class DemoProject:
    slug: str
    name: str
    financing_type: str
    committed: int
    term_months: int
    start: date
    disbursements: tuple[tuple[date, int], ...]
    repayments: tuple[tuple[date, int], ...]
    operating_profit: int  # 2026 H1, attributable to the project
    correction: int | None = None  # a corrected 2026 H1 figure, filed later with a reason


PROJECTS = (
    DemoProject("hyundai-motor", "미국 조지아 전기차 공장 수출 프로젝트 / EV plant export, Georgia (US)",
                FinancingType.LOAN, 300_000_000_000, 84, date(2026, 1, 15),
                ((date(2026, 1, 20), 10_000_000_000), (date(2026, 4, 20), 5_000_000_000)),
                ((date(2026, 10, 20), 1_000_000_000),), 81_234_567_890),
    DemoProject("posco-holdings", "호주 리튬 정련 플랜트 / Lithium refinery, Australia",
                FinancingType.INVESTMENT, 200_000_000_000, 120, date(2026, 2, 2),
                ((date(2026, 2, 10), 10_000_000_000),), (), 45_678_901_234, correction=47_000_000_000),
    DemoProject("lg-electronics", "중동 스마트 가전 생산기지 / Smart appliance plant, Middle East",
                FinancingType.LOAN, 150_000_000_000, 60, date(2026, 3, 2),
                ((date(2026, 3, 16), 8_000_000_000),), (), -1_200_000_000),
)


# Printed by load_demo with the other logins.
PORTAL_LOGINS = (("hyundai_officer", "hyundai-demo-2026", "현대자동차 재무 담당자 (수출금융 이익 보고)",
                  "Hyundai Motor finance officer (files export-project profit reports)"),)  # noqa: S105


def ensure_demo(context) -> None:
    services.role_permissions_grant()
    actor, organizations = context.actor, context.organizations
    officer = _ensure_officer(actor, organizations)
    for spec in PROJECTS:
        project = _ensure_project(actor, organizations[spec.slug], spec)
        for n, (day, amount) in enumerate(spec.disbursements, start=1):
            services.disbursement_post(actor=actor, project=project, amount=amount, effective_date=day,
                                       idempotency_key=f"{KEY}:{spec.slug}:disbursement:{n}")
        for n, (day, amount) in enumerate(spec.repayments, start=1):
            services.repayment_post(actor=actor, project=project, amount=amount, effective_date=day,
                                    idempotency_key=f"{KEY}:{spec.slug}:repayment:{n}")
        reporter = officer if spec.slug == OFFICER[2] else actor  # an administrator files for the others
        report = _report(reporter, project, spec.operating_profit, "", f"{KEY}:{spec.slug}:2026H1")
        if spec.correction is not None:
            report = _report(reporter, project, spec.correction, "외부감사 후 영업이익 수정 / Operating profit "
                             "corrected after the external audit", f"{KEY}:{spec.slug}:2026H1:corrected")
        share = services.profit_share_assess(actor=actor, report=report)
        if spec.slug == "hyundai-motor":
            services.profit_share_receive(actor=actor, share=share, effective_date=date(2026, 9, 25))
            services.channel_settle(actor=actor, share=share, effective_date=date(2026, 10, 5))


def _ensure_officer(actor, organizations):
    username, password, slug = OFFICER
    user, _created = get_user_model().objects.get_or_create(username=username)
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    if not Membership.objects.filter(user=user, organization=organizations[slug]).exists():
        membership_add(actor=actor, user=user, organization=organizations[slug], role=MembershipRole.FINANCE_OFFICER)
    return user


def _ensure_project(actor, beneficiary, spec: DemoProject) -> ExportProject:
    found = ExportProject.objects.filter(beneficiary=beneficiary, name=spec.name).first()
    return found or services.project_create(
        actor=actor, beneficiary=beneficiary, name=spec.name, financing_type=spec.financing_type,
        committed=spec.committed, term_months=spec.term_months, start_date=spec.start)


def _report(actor, project: ExportProject, operating_profit: int, reason: str, key: str) -> ProfitReport:
    return services.profit_report_submit(
        actor=actor, project=project, year=2026, period="H1", operating_profit=operating_profit,
        net_profit=operating_profit * 3 // 4, reason=reason, idempotency_key=key)
