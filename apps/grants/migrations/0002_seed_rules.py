"""The caps of joint overseas expansion support as announced on 2026-01-21 (DOMAIN.md §5), as configuration:
₩1.0 bn per SME over 3 fiscal years for awards dated before 2026-01-01; from 2026-01-01 ₩2.0 bn for the United
States and ₩1.5 bn elsewhere; government support at most 60 % of a project's total cost. Administrators change them
by ending a row and adding the next one."""

from datetime import date
from decimal import Decimal

from django.db import migrations

OLD_CAP_END = date(2025, 12, 31)
NEW_CAPS_FROM = date(2026, 1, 1)
SINCE = date(2000, 1, 1)
CAP_RULES = (
    ("us", 1_000_000_000, SINCE, OLD_CAP_END, "종전 한도 · Cap before the 2026 strategy"),
    ("other", 1_000_000_000, SINCE, OLD_CAP_END, "종전 한도 · Cap before the 2026 strategy"),
    ("us", 2_000_000_000, NEW_CAPS_FROM, None, "미국 진출 기업당 3년간 20억 원 · 2026 strategy: United States"),
    ("other", 1_500_000_000, NEW_CAPS_FROM, None, "기타 국가 기업당 3년간 15억 원 · 2026 strategy: other countries"),
)


def seed(apps, schema_editor):
    GrantCapRule = apps.get_model("grants", "GrantCapRule")
    GrantShareRule = apps.get_model("grants", "GrantShareRule")
    for scope, cap, valid_from, valid_to, description in CAP_RULES:
        GrantCapRule.objects.get_or_create(scope=scope, valid_from=valid_from, defaults={
            "cap": cap, "valid_to": valid_to, "window_length": 3, "window_kind": "fiscal_years",
            "description": description})
    GrantShareRule.objects.get_or_create(valid_from=SINCE, defaults={
        "max_share": Decimal("0.6"), "description": "정부 지원은 총사업비의 60% 이내 · At most 60 % of total cost"})


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
