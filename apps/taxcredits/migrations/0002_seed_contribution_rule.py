"""Seed the art. 8-3 rule as announced on 2026-01-21: 10 % of a win-win fund contribution, from 2026-01-01 to the
announced sunset 2028-12-31. Configuration from here on: an administrator ends or replaces it in the back office.
Idempotent: a rule of that kind already starting on that day is left as it is."""

import datetime
from decimal import Decimal

from django.db import migrations

KIND = "win_win_fund_contribution"
VALID_FROM = datetime.date(2026, 1, 1)


def seed(apps, schema_editor):
    TaxCreditRule = apps.get_model("taxcredits", "TaxCreditRule")
    TaxCreditRule.objects.get_or_create(kind=KIND, valid_from=VALID_FROM, defaults={
        "rate": Decimal("0.10"), "valid_to": datetime.date(2028, 12, 31),
        "description": "조세특례제한법 제8조의3 상생협력기금 출연 세액공제 10 % (특수관계인 사용분 제외); "
                       "2026-01-21 발표로 2028-12-31까지 연장",
    })


class Migration(migrations.Migration):
    dependencies = [("taxcredits", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
