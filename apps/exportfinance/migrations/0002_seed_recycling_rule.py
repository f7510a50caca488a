"""Seed the profit-recycling rule of the Strategic Export Finance Fund from 2026-01-01: 10 % of the operating profit
attributable to the project, due 90 days after the period's end, half of what is received channelled to the
win-win cooperation fund (wwcf). Configuration from here on: an administrator ends or replaces it in the back
office. Idempotent: a rule already starting on that day is left as it is."""

import datetime
from decimal import Decimal

from django.db import migrations

VALID_FROM = datetime.date(2026, 1, 1)


def seed(apps, schema_editor):
    RecyclingRule = apps.get_model("exportfinance", "RecyclingRule")
    RecyclingRule.objects.get_or_create(valid_from=VALID_FROM, defaults={
        "rate": Decimal("0.10"), "base": "operating_profit", "due_days": 90, "channel_share": Decimal("0.5"),
        "destination_fund": "wwcf",
        "description": "전략수출금융기금 성과공유 환원: 사업 귀속 영업이익의 10 %, 기간 종료 후 90일 납부, "
                       "수납액의 50 %를 상생협력기금으로 전출",
    })


class Migration(migrations.Migration):
    dependencies = [("exportfinance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
