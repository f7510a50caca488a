"""Seed the three guarantee institutions of the win-win finance pool. Idempotent (get_or_create by code)."""

from django.db import migrations

from apps.guarantees.catalogue import INSTITUTIONS


def seed(apps, schema_editor):
    GuaranteeInstitution = apps.get_model("guarantees", "GuaranteeInstitution")
    for code, name_ko, name_en in INSTITUTIONS:
        GuaranteeInstitution.objects.get_or_create(code=code, defaults={"name_ko": name_ko, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("guarantees", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
