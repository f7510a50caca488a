"""`funds_setup` / `setup_funds`: four funds, each with its own ledger and the whole standard chart, created once
and never duplicated or overwritten."""

from io import StringIO

import pytest
from django.core.management import call_command

from apps.funds import chart
from apps.funds.exceptions import ChartMismatch
from apps.funds.models import Fund
from apps.funds.selectors import fund_account
from apps.funds.services import funds_setup
from apps.ledger.models import Account, AccountType, Ledger

pytestmark = pytest.mark.django_db


def counts():
    return Fund.objects.count(), Ledger.objects.count(), Account.objects.count()


def test_setup_creates_the_four_funds_each_with_its_own_ledger_and_the_full_chart():
    result = funds_setup(actor="test")

    assert sorted(result.funds) == ["relief", "sef", "wwcf", "wwfp"]
    assert len(result.accounts) == 4 * len(chart.CHART)
    ledgers = set()
    for fund in Fund.objects.select_related("ledger"):
        ledgers.add(fund.ledger_id)
        assert fund.ledger.code == fund.code
        accounts = {a.code: a for a in Account.objects.filter(ledger=fund.ledger)}
        assert sorted(accounts) == sorted(spec.code for spec in chart.CHART)
        assert all(accounts[spec.code].type == spec.type for spec in chart.CHART)
        assert accounts[chart.CONTRIBUTION_REVENUE].name_ko == "출연금 수익"
        assert accounts[chart.CONTRIBUTION_REVENUE].name_en == "Contribution revenue"
        assert fund.created_by == "test"
    assert len(ledgers) == 4


def test_running_setup_twice_changes_nothing():
    funds_setup(actor="test")
    before = counts()

    again = funds_setup(actor="test")

    assert not again.changed
    assert counts() == before == (4, 4, 4 * len(chart.CHART))


def test_only_cash_may_never_go_below_zero(funds):
    for fund in funds.values():
        limited = Account.objects.filter(ledger=fund.ledger, non_negative=True)
        assert list(limited.values_list("code", flat=True)) == [chart.CASH]


def test_targets_and_managing_institutions_follow_the_strategy(funds):
    wwcf, wwfp = funds["wwcf"], funds["wwfp"]
    assert (wwcf.target_amount, wwcf.target_start_year, wwcf.target_end_year) == (1_500_000_000_000, 2026, 2030)
    assert wwcf.managing_institution_ko == "대·중소기업·농어업협력재단"
    assert wwfp.target_amount == 1_700_000_000_000
    assert funds["sef"].managing_institution_ko == "한국수출입은행"
    assert funds["sef"].target_amount is None and funds["relief"].target_amount is None


def test_an_administrator_s_target_survives_another_setup(funds):
    Fund.objects.filter(code="sef").update(target_amount=2_000_000_000_000, name_en="Export Finance Fund")

    funds_setup(actor="test")

    sef = Fund.objects.get(code="sef")
    assert (sef.target_amount, sef.name_en) == (2_000_000_000_000, "Export Finance Fund")


def test_setup_adopts_an_existing_ledger_and_completes_its_chart():
    ledger = Ledger.objects.create(code="wwcf", name_ko="상생협력기금", name_en="Win-Win Cooperation Fund")
    cash = Account.objects.create(ledger=ledger, code=chart.CASH, name_ko="현금", name_en="Cash",
                                  type=AccountType.ASSET, non_negative=True)

    result = funds_setup(actor="test")

    assert "wwcf" not in result.ledgers and "wwcf" in result.funds
    fund = Fund.objects.get(code="wwcf")
    assert fund.ledger == ledger
    assert fund_account(fund, chart.CASH) == cash
    assert Account.objects.filter(ledger=ledger).count() == len(chart.CHART)


def test_an_account_of_the_wrong_type_under_a_standard_code_is_refused_and_nothing_is_created():
    ledger = Ledger.objects.create(code="relief", name_ko="피해구제기금", name_en="Damage-Relief Fund")
    Account.objects.create(ledger=ledger, code=chart.CONTRIBUTION_REVENUE, name_ko="x", name_en="x",
                           type=AccountType.EXPENSE)

    with pytest.raises(ChartMismatch):
        funds_setup(actor="test")

    assert Fund.objects.count() == 0
    assert Ledger.objects.count() == 1


def test_fund_account_finds_an_account_by_its_role(funds):
    account = fund_account(funds["relief"], chart.FINE_REVENUE)

    assert (account.ledger_id, account.code, account.type) == (funds["relief"].ledger_id, "4400", AccountType.REVENUE)


def test_the_command_says_what_it_created_and_then_that_nothing_changed():
    out = StringIO()
    call_command("setup_funds", stdout=out)
    first = out.getvalue()
    out = StringIO()
    call_command("setup_funds", stdout=out)

    assert "wwcf, wwfp, sef, relief" in first and str(4 * len(chart.CHART)) in first
    assert "nothing changed" in out.getvalue()
