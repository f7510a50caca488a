"""The guarantee institutions are seeded by the data migration and set up again, idempotently, by a command."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.guarantees.models import GuaranteeInstitution

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_kodit_kibo_and_ksure():
    assert dict(GuaranteeInstitution.objects.values_list("code", "name_ko")) == {
        "kodit": "신용보증기금", "kibo": "기술보증기금", "ksure": "한국무역보험공사"}


def test_setting_up_the_institutions_twice_keeps_three():
    call_command("setup_guarantees", stdout=StringIO())
    call_command("setup_guarantees", stdout=StringIO())

    assert sorted(GuaranteeInstitution.objects.values_list("code", flat=True)) == ["kibo", "kodit", "ksure"]
