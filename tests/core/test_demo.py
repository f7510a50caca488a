"""`load_demo`: four funds that balance, the logins that work, the portal's organisations and contributions, and a
second run that changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from apps.contributions.models import Contribution, ContributionEvent, ContributionStatus, DonationReceipt
from apps.core import demo
from apps.core.extensions import app_modules
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_totals
from apps.ledger.models import Account, EntrySeal, Hold, HoldStatus, JournalEntry, Ledger
from apps.ledger.selectors import trial_balance
from apps.organizations.identifiers import is_valid_brn
from apps.organizations.models import Membership, MembershipRole, Organization, SizeClass
from apps.taxcredits.selectors import statement_compute

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
    holds = list(Hold.objects.order_by("pk").values_list("pk", "status"))
    portal = (Organization.objects.count(), Membership.objects.count(), Contribution.objects.count(),
              ContributionEvent.objects.count(), DonationReceipt.objects.count())

    load()

    assert entries >= 300
    assert JournalEntry.objects.count() == entries
    assert account_state() == state
    assert list(get_user_model().objects.order_by("pk").values_list("pk", "password")) == users
    assert list(Hold.objects.order_by("pk").values_list("pk", "status")) == holds
    assert (Organization.objects.count(), Membership.objects.count(), Contribution.objects.count(),
            ContributionEvent.objects.count(), DonationReceipt.objects.count()) == portal


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
    assert Hold.objects.filter(status=HoldStatus.OPEN).exists()  # approved grants and relief not yet paid
    samsung = Organization.objects.get(name_ko="삼성전자")
    contributions = JournalEntry.objects.filter(ledger=wwcf, lines__party=samsung.party).distinct()
    assert contributions.exists()
    # every posting of the demo carries a key (that is what makes a second run post nothing), except the
    # entries the ledger makes itself (a hold's tranche carries the hold's key)
    assert not JournalEntry.objects.filter(idempotency_key__isnull=True, hold__isnull=True).exists()


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


def test_the_demo_organisations_have_valid_numbers_and_cover_every_kind_of_contributor():
    load()

    organizations = Organization.objects.all()
    assert len(organizations) >= 12
    assert all(is_valid_brn(o.business_registration_number) for o in organizations)
    assert {SizeClass.LARGE, SizeClass.FINANCIAL_INSTITUTION, SizeClass.SME, SizeClass.PLATFORM} <= {
        o.size_class for o in organizations}
    samsung = Organization.objects.get(name_ko="삼성전자")
    assert samsung.related_parties.exists() and samsung.partner_smes.count() >= 2
    assert Organization.objects.get(name_ko="현대자동차").related_parties.filter(name_ko="기아").exists()
    assert [demo.demo_brn(n) for n in range(len(demo.DEMO_ORGANIZATIONS))] == [
        demo.demo_brn(n) for n in range(len(demo.DEMO_ORGANIZATIONS))]


def test_the_demo_year_of_contributions_has_receipts_and_tax_credits():
    load()

    contributions = Contribution.objects.all()
    assert contributions.count() >= 200
    assert {c.contribution_date.year for c in contributions} == {demo.DEMO_YEAR}
    confirmed = contributions.filter(status__in=[ContributionStatus.CONFIRMED, ContributionStatus.MATCHED])
    assert confirmed.count() >= 180
    assert DonationReceipt.objects.count() == confirmed.count()
    assert contributions.filter(status=ContributionStatus.SUBMITTED).exists()
    for fund_id in DonationReceipt.objects.values_list("fund_id", flat=True).distinct():
        numbers = sorted(DonationReceipt.objects.filter(fund_id=fund_id).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))  # gapless
    statement = statement_compute(organization=Organization.objects.get(name_ko="삼성전자"), year=demo.DEMO_YEAR)
    assert statement.total_credit > 0
    assert statement.total_excluded > 0  # a part named for its related party earns no credit


def test_the_portal_members_log_in_with_the_printed_passwords(client):
    output = load()

    logins = [(m.username, m.password) for m in demo.DEMO_MEMBERS]
    logins += [login[:2] for room in app_modules("demo") for login in getattr(room, "PORTAL_LOGINS", ())]
    assert len(logins) >= 6
    for username, password in logins:
        assert username in output and password in output
        assert client.login(username=username, password=password)
        assert client.get("/portal/").status_code == 200
        client.logout()
    officer = Membership.objects.get(user__username="samsung_officer")
    assert officer.role == MembershipRole.FINANCE_OFFICER and officer.organization.name_ko == "삼성전자"
    assert Membership.objects.get(user__username="samsung_viewer").role == MembershipRole.VIEWER
    assert "/portal/" in output
