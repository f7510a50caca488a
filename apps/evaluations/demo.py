"""Demo data of the evaluations: performance-sharing records of the demo companies (subcontracting, platforms,
distribution, dealerships), Shared Growth Index inputs for 2024–2026 with Samsung Electronics reaching honour
status in 2026 and LG Electronics deferred in 2025, a defence company with its own evaluation, the Win-Win Finance
Index of the financial institutions for 2026 — all computed and published.

Idempotent: records carry idempotency keys, inputs are found by company and year, the defence company by its
registration number, and a published year is neither recomputed nor published again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apps.organizations.identifiers import brn_check_digit
from apps.organizations.models import Organization, SizeClass
from apps.organizations.services import organization_create

from . import selectors, services
from .models import DefenceInput, IndexKind, RecordStatus, SgiInput, SharingRecord

YEARS = (2024, 2025, 2026)
DEFENCE_BRN_STEM = "617810453"  # a for-profit head office (81); the check digit is computed
DEFENCE_NAME = ("한화에어로스페이스", "Hanwha Aerospace")


@dataclass(frozen=True)
class DemoRecord:
    principal: str
    project: str
    transaction_type: str
    method: str
    amount: int
    contract_date: date
    partners: tuple[tuple[str, int], ...]
    goal: str
    outcome: str
    evidence: str
    status: str = RecordStatus.CONFIRMED


RECORDS = (
    DemoRecord("samsung-electronics", "반도체 장비 부품 국산화 공동개발", "subcontracting", "cash", 4_200_000_000,
               date(2024, 5, 13), (("daehan-precision", 1), ("saesol-electronics", 2)),
               "장비 부품 국산화율 60 % 달성", "국산화율 64 %, 원가 18 % 절감", "성과배분 계약서 SEC-2024-031"),
    DemoRecord("samsung-electronics", "웨이퍼 세정 공정 공동특허", "subcontracting", "joint_ip", 1_800_000_000,
               date(2025, 3, 10), (("hanbit-semitech", 1),), "세정 공정 수율 개선",
               "공동특허 2건 출원, 수율 2.1 %p 개선", "특허 출원번호 10-2025-0031234"),
    DemoRecord("samsung-electronics", "협력사 스마트공장 고도화", "subcontracting", "cash", 3_500_000_000,
               date(2026, 4, 6), (("daehan-precision", 1), ("hanbit-semitech", 2)), "불량률 30 % 절감",
               "불량률 34 % 절감", "성과배분 정산서 SEC-2026-014"),
    DemoRecord("samsung-electronics", "2차 협력사 설비 효율화", "subcontracting", "price_adjustment", 900_000_000,
               date(2026, 9, 21), (("saesol-electronics", 1), ("cheongun-metal", 2)), "설비 가동률 10 % 향상",
               "", "단가 조정 합의서 (정산 예정)", RecordStatus.SUBMITTED),
    DemoRecord("sk-hynix", "메모리 테스트 소켓 공동개발", "subcontracting", "joint_ip", 1_200_000_000,
               date(2026, 2, 17), (("saesol-electronics", 1),), "테스트 소켓 수명 2배", "수명 2.3배, 특허 1건",
               "공동특허 출원서"),
    DemoRecord("hyundai-motor", "딜러 네트워크 부품 재고 공유", "dealership", "revenue_share", 1_500_000_000,
               date(2025, 7, 1), (("mirae-mobility-parts", 1), ("cheongun-metal", 2)), "딜러 재고 회전율 개선",
               "재고 회전율 1.4배", "수익배분 정산서 HMC-D-2025-07"),
    DemoRecord("kia", "전기차 부품 장기 공급 계약", "subcontracting", "contract_extension", 2_000_000_000,
               date(2026, 3, 3), (("mirae-mobility-parts", 1),), "안정적 물량 확보", "계약 3년 연장",
               "연장 계약서 KIA-2026-011"),
    DemoRecord("lg-electronics", "가전 유통 협력사 구매 보장", "distribution", "purchase_guarantee", 1_100_000_000,
               date(2024, 10, 14), (("saesol-electronics", 1),), "유통 협력사 매출 안정", "연간 구매 보장 이행",
               "구매 보장 확약서"),
    DemoRecord("posco-holdings", "철강 협력사 물량 확대", "subcontracting", "volume_increase", 2_600_000_000,
               date(2025, 11, 3), (("cheongun-metal", 1),), "협력사 가동률 향상", "물량 22 % 확대",
               "물량 확대 합의서"),
    DemoRecord("naver", "스마트스토어 입점 중소기업 수수료 환급", "platform", "revenue_share", 3_000_000_000,
               date(2026, 5, 18), (("daehan-precision", 1), ("hanbit-semitech", 1)), "입점 SME 매출 20 % 증대",
               "입점 SME 매출 27 % 증대", "수수료 환급 정산 내역"),
    DemoRecord("kakao", "카카오톡 선물하기 입점사 성과 공유", "platform", "cash", 1_400_000_000,
               date(2025, 12, 1), (("saesol-electronics", 1),), "입점사 거래액 확대", "거래액 31 % 증가",
               "현금 성과배분 지급 확인서"),
    DemoRecord("kakao", "입점사 광고비 지원", "platform", "cash", 700_000_000, date(2026, 8, 3),
               (("cheongun-metal", 1),), "광고 효율 개선", "증빙 보완 요청", "지원 내역 (증빙 미비)",
               RecordStatus.REJECTED),
)

# (survey 0–80, performance 0–20, deductions 0–12, fair trade 0–100) per company; each year shifts them a little.
SGI_BASE = {
    "samsung-electronics": ("78", "19", "0", "96"),
    "sk-hynix": ("72", "17", "1", "90"),
    "kia": ("68", "15", "2", "85"),
    "hyundai-motor": ("70", "16", "0", "88"),
    "lg-electronics": ("60", "14", "3", "80"),
    "posco-holdings": ("64", "15", "0", "84"),
    "kepco": ("55", "12", "4", "75"),
    "naver": ("66", "14", "2", "82"),
    "kakao": ("50", "10", "6", "70"),
}
YEAR_SHIFT = {2024: Decimal(-2), 2025: Decimal(0), 2026: Decimal(1)}
UNDER_INVESTIGATION = {("lg-electronics", 2025)}
DEFENCE_SCORES = {2024: ("82", "78", "70", "1"), 2025: ("86", "80", "74", "0"), 2026: ("90", "84", "78", "0")}


def ensure_demo(context) -> None:
    services.role_permissions_grant()
    organizations = context.organizations
    _records(context, organizations)
    _sgi_inputs(organizations)
    defence = _defence_company(context.actor)
    _defence_inputs(defence)
    for kind, years in ((IndexKind.SGI, YEARS), (IndexKind.DEFENCE, YEARS), (IndexKind.WFI, (2026,))):
        for year in years:
            _compute_and_publish(context.actor, kind, year)


def _records(context, organizations: dict[str, Organization]) -> None:
    for n, spec in enumerate(RECORDS, start=1):
        key = f"demo-evaluations:record:{spec.principal}:{n:02d}"
        record = SharingRecord.objects.filter(idempotency_key=key).first()
        if record is None:
            record = services.record_create(
                actor=context.officers.get(spec.principal, context.actor), principal=organizations[spec.principal],
                partners=[(organizations[slug], tier) for slug, tier in spec.partners], idempotency_key=key,
                project=spec.project, transaction_type=spec.transaction_type, goal=spec.goal,
                contract_date=spec.contract_date, outcome=spec.outcome, sharing_method=spec.method,
                amount=spec.amount, evidence_description=spec.evidence,
            )
        if record.status != RecordStatus.SUBMITTED or spec.status == RecordStatus.SUBMITTED:
            continue
        if spec.status == RecordStatus.CONFIRMED:
            services.record_confirm(actor=context.actor, record=record)
        else:
            services.record_reject(actor=context.actor, record=record,
                                   reason="증빙 보완 필요 / The evidence does not show the payment")


def _sgi_inputs(organizations: dict[str, Organization]) -> None:
    for slug, base in SGI_BASE.items():
        for year in YEARS:
            shift = YEAR_SHIFT[year]
            survey, performance, deductions, fair_trade = (Decimal(v) for v in base)
            SgiInput.objects.get_or_create(organization=organizations[slug], year=year, defaults={
                "survey_score": min(max(survey + shift, Decimal(0)), Decimal(80)),
                "performance_score": min(max(performance + shift / 2, Decimal(0)), Decimal(20)),
                "deductions": deductions, "fair_trade_score": min(fair_trade + shift, Decimal(100)),
                "under_investigation": (slug, year) in UNDER_INVESTIGATION,
                "note": "공정위 조사 중 (등급 유예)" if (slug, year) in UNDER_INVESTIGATION else "",
            })


def _defence_company(actor) -> Organization:
    """The demo's defence company: found by its registration number, else the first defence company another
    room made, else registered here."""
    brn = DEFENCE_BRN_STEM + str(brn_check_digit(DEFENCE_BRN_STEM))
    found = (Organization.objects.filter(business_registration_number=brn).first()
             or Organization.objects.filter(size_class=SizeClass.DEFENCE).order_by("pk").first())
    if found is not None:
        return found
    return organization_create(actor=actor, name_ko=DEFENCE_NAME[0], name_en=DEFENCE_NAME[1],
                               business_registration_number=brn, size_class=SizeClass.DEFENCE)


def _defence_inputs(defence: Organization) -> None:
    for year, (cooperation, technology, localization, deductions) in DEFENCE_SCORES.items():
        DefenceInput.objects.get_or_create(organization=defence, year=year, defaults={
            "cooperation_score": Decimal(cooperation), "technology_score": Decimal(technology),
            "localization_score": Decimal(localization), "deductions": Decimal(deductions)})


def _compute_and_publish(actor, kind: str, year: int) -> None:
    if selectors.is_published(kind, year) or selectors.rule_for(kind, year) is None:
        return
    services.evaluation_recompute(actor=actor, kind=kind, year=year)
    services.evaluation_publish(actor=actor, kind=kind, year=year)
