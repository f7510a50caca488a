"""Seed the designated uses (valid from 2026-01-01) and link them to the win-win cooperation fund and the finance
pool where those funds already exist. Idempotent; `designated_uses_setup` does the same for funds set up later."""

from django.db import migrations

from apps.contributions.catalogue import SEED_FUND_CODES, SEED_USES, SEED_VALID_FROM


def seed(apps, schema_editor):
    DesignatedUse = apps.get_model("contributions", "DesignatedUse")
    Fund = apps.get_model("funds", "Fund")
    funds = list(Fund.objects.filter(code__in=SEED_FUND_CODES))
    for code, name_ko, name_en in SEED_USES:
        use, _ = DesignatedUse.objects.get_or_create(
            code=code, valid_from=SEED_VALID_FROM, defaults={"name_ko": name_ko, "name_en": name_en})
        use.funds.add(*funds)


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial"), ("funds", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
