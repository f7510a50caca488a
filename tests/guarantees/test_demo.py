"""The pool's demo: programs at KODIT, KIBO and K-SURE, earmarks, transfers and a dozen guarantees to KB's partner
SME; a second run adds nothing."""

from datetime import date

import pytest

from apps.core.demo import DemoContext, ensure_members, ensure_organizations
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.guarantees.demo import ensure_demo
from apps.guarantees.models import Earmark, Guarantee, GuaranteeEvent, GuaranteeProgram, GuaranteeTransfer
from apps.guarantees.selectors import program_capacity
from apps.ledger.models import JournalEntry
from apps.ledger.selectors import trial_balance

from .conftest import confirm


@pytest.fixture
def demo_context(wwfp, fund_admin):
    organizations = ensure_organizations(fund_admin)
    officers = ensure_members(fund_admin, organizations)
    for n, slug in enumerate(("kb-financial", "kb-financial", "kb-financial", "shinhan-financial", "ibk")):
        confirm(wwfp, organizations[slug], (n + 1) * 100 * 10**8, day=date(2026, 2 + n, 2))
    return DemoContext(actor=fund_admin, users={"fundadmin": fund_admin}, organizations=organizations,
                       officers=officers, books={})


def counts():
    return (GuaranteeProgram.objects.count(), Earmark.objects.count(), GuaranteeTransfer.objects.count(),
            Guarantee.objects.count(), GuaranteeEvent.objects.count(), JournalEntry.objects.count())


def test_demo_builds_the_pool_and_a_second_run_adds_nothing(demo_context, wwfp):
    ensure_demo(demo_context)
    first = counts()

    ensure_demo(demo_context)

    assert counts() == first
    assert sorted(GuaranteeProgram.objects.values_list("institution__code", flat=True)) == ["kibo", "kodit", "ksure"]
    assert Earmark.objects.count() == 5
    assert GuaranteeTransfer.objects.count() == 6
    kb = GuaranteeProgram.objects.get(organization=demo_context.organizations["kb-financial"])
    assert Guarantee.objects.filter(program=kb).count() == 12
    assert set(Guarantee.objects.values_list("sme", flat=True)) == {demo_context.organizations["daehan-precision"].pk}
    assert program_capacity(kb).outstanding <= program_capacity(kb).capacity
    assert fund_account(wwfp, chart.GUARANTEE_SUPPORT_EXPENSE).balance_minor == sum(
        GuaranteeTransfer.objects.values_list("amount", flat=True))
    balance = trial_balance(wwfp.ledger)
    assert balance.total_debit == balance.total_credit
