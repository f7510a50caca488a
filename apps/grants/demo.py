"""Demo data of the grants: Samsung Electronics taking two partner SMEs to the United States, Hyundai Motor two to
Vietnam, both approved with awards and a few tranches paid, and a third project still waiting for the fund; an SME
login (대한정밀's finance officer) that sees its award. Everything goes through the services with idempotency keys,
so a second run finds every project, award and tranche and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from apps.organizations.models import Membership, MembershipRole
from apps.organizations.services import membership_add

from . import services
from .models import ProjectStatus

KEY = "demo-2026:grants"
EOK = 10**8  # 억 원


@dataclass(frozen=True)
class DemoProject:
    slug: str
    lead: str
    title: str
    country: str
    total_cost: int
    start: date
    end: date
    participants: tuple[str, ...]
    approve: bool = True
    awards: tuple[tuple[str, int, date], ...] = ()  # (SME slug, won, award date)
    tranches: tuple[tuple[str, int, date], ...] = ()  # (SME slug, won, paid date)


DEMO_PROJECTS = (
    DemoProject("samsung-us", "samsung-electronics", "미국 텍사스 반도체 공급망 동반진출", "US", 80 * EOK,
                date(2026, 2, 2), date(2028, 12, 31), ("daehan-precision", "saesol-electronics"),
                awards=(("daehan-precision", 18 * EOK, date(2026, 3, 16)),
                        ("saesol-electronics", 12 * EOK, date(2026, 3, 16))),
                tranches=(("daehan-precision", 6 * EOK, date(2026, 4, 15)),
                          ("daehan-precision", 6 * EOK, date(2026, 9, 15)),
                          ("saesol-electronics", 4 * EOK, date(2026, 5, 15)))),
    DemoProject("hyundai-vn", "hyundai-motor", "베트남 전기차 부품 동반진출", "VN", 50 * EOK,
                date(2026, 4, 1), date(2029, 3, 31), ("mirae-mobility-parts", "cheongun-metal"),
                awards=(("mirae-mobility-parts", 15 * EOK, date(2026, 5, 4)),
                        ("cheongun-metal", 8 * EOK, date(2026, 5, 4))),
                tranches=(("mirae-mobility-parts", 5 * EOK, date(2026, 6, 1)),)),
    DemoProject("samsung-pl", "samsung-electronics", "폴란드 가전 물류 거점 동반진출", "PL", 30 * EOK,
                date(2027, 1, 4), date(2029, 12, 31), ("hanbit-semitech",), approve=False),
)
SME_LOGIN = ("daehan_officer", "daehan-demo-2026", "daehan-precision")  # noqa: S105 - a demo password


# Printed by load_demo with the other logins.
PORTAL_LOGINS = (("daehan_officer", "daehan-demo-2026", "대한정밀 재무 담당자 (동반진출 지원 수혜 · 피해구제 신청)",
                  "Daehan Precision finance officer (grant recipient, relief claimant)"),)  # noqa: S105


def ensure_demo(context) -> None:
    services.role_permissions_grant()
    for spec in DEMO_PROJECTS:
        _ensure_project(context, spec)
    _ensure_sme_login(context)


def _ensure_project(context, spec: DemoProject) -> None:
    orgs, actor = context.organizations, context.actor
    project = services.project_propose(
        actor=context.officers.get(spec.lead, actor), lead=orgs[spec.lead], title=spec.title, country=spec.country,
        total_cost=spec.total_cost, start_date=spec.start, end_date=spec.end,
        participants=[orgs[s] for s in spec.participants], idempotency_key=f"{KEY}:project:{spec.slug}",
    )
    if not spec.approve:
        return
    if project.status == ProjectStatus.PROPOSED:
        project = services.project_approve(actor=actor, project=project)
    awards = {}
    for sme, won, day in spec.awards:
        awards[sme] = services.award_approve(actor=actor, project=project, sme=orgs[sme], amount=won, award_date=day,
                                             idempotency_key=f"{KEY}:award:{spec.slug}:{sme}")
    for n, (sme, won, day) in enumerate(spec.tranches, start=1):
        services.tranche_pay(actor=actor, award=awards[sme], amount=won, paid_date=day,
                             idempotency_key=f"{KEY}:tranche:{spec.slug}:{sme}:{n}")


def _ensure_sme_login(context) -> None:
    username, password, slug = SME_LOGIN
    user, _ = get_user_model().objects.get_or_create(username=username)
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    organization = context.organizations[slug]
    if not Membership.objects.filter(user=user, organization=organization).exists():
        membership_add(actor=context.actor, user=user, organization=organization,
                       role=MembershipRole.FINANCE_OFFICER)
