"""Seed the evaluations' configuration as announced on 2026-01-21, from then on edited in the back office:

- sharing-method weights: cash and joint IP (cash-equivalent) count ×2, every other method ×1;
- the Shared Growth Index rule: survey + performance − deductions, combined 50 : 50 with the fair-trade agreement
  score; weighted sharing adds 1 point per ₩10억 to the performance evaluation (at most 5, within its 20); grades
  from 90 / 80 / 70 / 60; honour after three consecutive 최우수;
- the Win-Win Finance Index rule (banks, from 2026-06): contributions to the pool, the guarantees they supported
  and partner SMEs reached, each with points per unit and a cap; grades from 85 / 70 / 55 / 40;
- the defence-industry rule: cooperation 40 %, technology 30 %, localisation 30 %, minus deductions;
- preferential points for contributions to the funds: 0.5 from ₩1억, 1 from ₩10억, 2 from ₩50억, 3 from ₩100억.

Idempotent: a row already starting on its day is left as it is."""

import datetime

from django.db import migrations

SINCE = datetime.date(2020, 1, 1)
WFI_SINCE = datetime.date(2026, 6, 1)
CUTOFFS = {"excellent": "90", "good": "80", "fair": "70", "average": "60"}
WEIGHTS = {"cash": ("2", True), "joint_ip": ("2", True), "price_adjustment": ("1", False),
           "purchase_guarantee": ("1", False), "volume_increase": ("1", False), "revenue_share": ("1", False),
           "contract_extension": ("1", False)}
RULES = (
    ("sgi", SINCE, "2026 method", {
        "survey": "1", "performance": "1", "deductions": "1", "performance_max": "20",
        "sharing_won_per_point": "1000000000", "sharing_points_max": "5", "comprehensive": "0.5",
        "fair_trade": "0.5"}, CUTOFFS,
     "동반성장지수: 체감도 조사(80) + 실적평가(20) − 감점(12), 공정거래협약 평가와 50:50"),
    ("wfi", WFI_SINCE, "2026 method", {
        "contributed_won": {"unit": "10000000000", "points": "4", "max": "40"},
        "guarantees_won": {"unit": "10000000000", "points": "3", "max": "30"},
        "guarantees_count": {"unit": "10", "points": "1", "max": "10"},
        "partner_smes_reached": {"unit": "1", "points": "2", "max": "20"}},
     {"excellent": "85", "good": "70", "fair": "55", "average": "40"},
     "상생금융지수: 출연, 보증 연계 지원, 협력 중소기업 수 (은행, 2026-06부터)"),
    ("defence", SINCE, "2026 method", {
        "cooperation": "0.4", "technology": "0.3", "localization": "0.3", "deductions": "1"}, CUTOFFS,
     "방위산업 동반성장 평가: 협력 40 %, 기술 30 %, 국산화 30 %, 감점"),
)
BANDS = ((100_000_000, "0.5"), (1_000_000_000, "1"), (5_000_000_000, "2"), (10_000_000_000, "3"))


def seed(apps, schema_editor):
    SharingMethodWeight = apps.get_model("evaluations", "SharingMethodWeight")
    IndexRule = apps.get_model("evaluations", "IndexRule")
    ContributionPointBand = apps.get_model("evaluations", "ContributionPointBand")
    for method, (weight, cash_equivalent) in WEIGHTS.items():
        SharingMethodWeight.objects.get_or_create(method=method, valid_from=SINCE, defaults={
            "weight": weight, "cash_equivalent": cash_equivalent,
            "description": "성과공유제: 현금·현금성(지식재산권 포함) 2배" if cash_equivalent else ""})
    for kind, since, version, weights, cutoffs, description in RULES:
        IndexRule.objects.get_or_create(kind=kind, valid_from=since, defaults={
            "version": version, "weights": weights, "cutoffs": cutoffs, "honour_streak": 3,
            "description": description})
    for kind in ("sgi", "defence"):
        for min_won, points in BANDS:
            ContributionPointBand.objects.get_or_create(kind=kind, min_won=min_won, valid_from=SINCE,
                                                        defaults={"points": points})


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
