"""`load_demo`: four funds that balance, three logins that work, and a second run that changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from apps.core import demo
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_totals
from apps.ledger.models import Account, EntrySeal, Hold, HoldStatus, JournalEntry, Ledger
from apps.ledger.selectors import trial_balance

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def account_state():
    return list(Account.objects.order_by("pk").values_list(
        "pk", "debit_total", "credit_total", "pending_debit", "pending_credit"))


def test_running_load_demo_twice_posts_nothing_the_second_time():
    load()
    entries, state = JournalEntry.objects.count(), account_state()
    users = list(get_user_model().objects.order_by("pk").values_list("pk", "password"))

    load()

    assert entries >= 300
    assert JournalEntry.objects.count() == entries
    assert account_state() == state
    assert list(get_user_model().objects.order_by("pk").values_list("pk", "password")) == users
    assert Hold.objects.count() == 1


def test_the_demo_funds_balance_and_every_entry_is_sealed():
    load()

    assert sorted(Ledger.objects.values_list("code", flat=True)) == ["relief", "sef", "wwcf", "wwfp"]
    for ledger in Ledger.objects.all():
        tb = trial_balance(ledger)
        assert tb.total_debit == tb.total_credit > 0, ledger.code
        assert ledger.accounts.count() == len(chart.CHART)
        assert ledger.accounts.get(code=chart.CASH).balance_minor > 0
    assert EntrySeal.objects.count() == JournalEntry.objects.count()
    assert all(a.available_minor >= 0 for a in Account.objects.filter(non_negative=True))


def test_the_demo_year_tells_the_promised_stories():
    load()

    wwcf = Ledger.objects.get(code="wwcf")
    assert JournalEntry.objects.filter(ledger=wwcf, reverses__isnull=False).count() == 1
    transfer = JournalEntry.objects.filter(transfer_id__isnull=False)
    assert {e.ledger.code for e in transfer} == {"sef", "wwcf"}
    assert Hold.objects.get().status == HoldStatus.OPEN
    contributions = JournalEntry.objects.filter(ledger=wwcf, lines__party="org:samsung-electronics").distinct()
    assert contributions.exists()
    assert all(key.startswith("demo-") for key in JournalEntry.objects.values_list("idempotency_key", flat=True)
               if key)


def test_the_demo_funds_are_the_funds_app_s_with_progress_read_from_their_ledgers():
    load()

    assert sorted(Fund.objects.values_list("code", flat=True)) == ["relief", "sef", "wwcf", "wwfp"]
    assert all(fund.ledger.code == fund.code for fund in Fund.objects.select_related("ledger"))
    wwcf = fund_totals(Fund.objects.get(code="wwcf"))
    assert wwcf.target == 1_500_000_000_000
    assert 0 < wwcf.raised == wwcf.by_year[demo.DEMO_YEAR]
    assert wwcf.raised == wwcf.fund.ledger.accounts.get(code=chart.CONTRIBUTION_REVENUE).balance_minor


def test_demo_amounts_are_whole_won_at_fund_scale():
    plan = demo.plan_year()
    amounts = [amount for p in plan for _, _, amount, _ in p.lines]

    assert plan == demo.plan_year()  # the same plan every run: what makes the keys safe to repeat
    assert all(isinstance(a, int) for a in amounts)
    assert 10**8 <= min(amounts) and max(amounts) <= 10**11
    assert {p.day.year for p in plan} == {demo.DEMO_YEAR}


def test_the_demo_logins_work_and_are_printed(client):
    output = load()

    assert "http://127.0.0.1:8000/" in output
    assert "password" in output and "비밀번호" in output
    for user in demo.DEMO_USERS:
        assert user.username in output and user.password in output
        assert client.login(username=user.username, password=user.password)
        client.logout()
    auditor = get_user_model().objects.get(username="auditor")
    assert auditor.has_perm("ledger.view_journalentry")
    assert not auditor.has_perm("ledger.change_account")
    fundadmin = get_user_model().objects.get(username="fundadmin")
    assert fundadmin.has_perm("ledger.change_account") and fundadmin.is_staff
    assert not fundadmin.has_perm("ledger.delete_account")
    assert auditor.has_perm("funds.view_fund") and not auditor.has_perm("funds.change_fund")
    assert fundadmin.has_perm("funds.change_fund") and not fundadmin.has_perm("funds.delete_fund")
