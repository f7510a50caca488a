"""The back office: lists for the people who keep and audit the books, nothing posted ever edited or deleted,
and every money-moving action going through the services with its refusals shown as messages."""

from datetime import date

import pytest
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse

from apps.core.demo import grant_role_permissions
from apps.core.money import krw
from apps.ledger import services
from apps.ledger.models import (
    Account,
    AccountType,
    FiscalPeriod,
    Hold,
    HoldStatus,
    JournalEntry,
    JournalLine,
    Ledger,
    PeriodEvent,
    PeriodStatus,
)
from apps.ledger.services import credit, debit

from .factories import AccountFactory, LedgerFactory

D = date(2026, 3, 2)
pytestmark = pytest.mark.django_db

CHANGELISTS = ["ledger", "account", "journalentry", "hold", "fiscalperiod", "periodevent", "entryseal",
               "verificationrun"]


@pytest.fixture(autouse=True)
def role_permissions(db):
    grant_role_permissions()


def post(book, amount=1_000_000):
    return services.entry_post(actor="test", ledger=book.ledger, effective_date=D, memo="Contribution received",
                               reference="contribution:1",
                               lines=[debit(book.cash, krw(amount), party="org:samsung-electronics"),
                                      credit(book.revenue, krw(amount), party="org:samsung-electronics")])


def url(model, view="changelist", *args):
    return reverse(f"admin:ledger_{model}_{view}", args=args)


def as_user(client, user):
    client.force_login(user)
    return client


def run_action(client, model, action, ids, **extra):
    return client.post(url(model), {"action": action, ACTION_CHECKBOX_NAME: [str(i) for i in ids], **extra},
                       follow=True)


def message_levels(response):
    return [(m.level, str(m)) for m in response.context["messages"]]


@pytest.mark.parametrize("who", ["admin_user", "fund_admin", "auditor"])
@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_render_for_the_people_of_the_back_office(client, book, who, model, request):
    post(book)
    services.hold_create(actor="test", ledger=book.ledger, effective_date=D,
                         lines=[debit(book.expense, krw(1_000)), credit(book.cash, krw(1_000))])
    FiscalPeriod.objects.create(ledger=book.ledger, year=2026)

    response = as_user(client, request.getfixturevalue(who)).get(url(model))

    assert response.status_code == 200


def test_the_people_admin_pages_render_in_the_unfold_theme(admin_client, fund_admin):
    for path in ("/admin/auth/user/", "/admin/auth/group/", f"/admin/auth/user/{fund_admin.pk}/change/",
                 "/admin/authtoken/tokenproxy/", "/admin/"):
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert "unfold" in response.content.decode(), path


def test_the_account_list_shows_balances_in_won_and_korean_units(admin_client, book):
    post(book, 1_700_000_000_000)

    html = admin_client.get(url("account")).content.decode()

    assert "1,700,000,000,000원" in html
    assert "1조 7,000억 원" in html


def test_an_entry_page_is_read_only_and_shows_its_lines(admin_client, book):
    entry = post(book, 1_700_000_000_000)

    response = admin_client.get(url("journalentry", "change", entry.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in html
    assert "1,700,000,000,000원" in html and "org:samsung-electronics" in html
    assert admin_client.post(url("journalentry", "change", entry.pk), {"memo": "edited"}).status_code == 403
    assert JournalEntry.objects.get(pk=entry.pk).memo == "Contribution received"
    assert admin_client.get(url("journalentry", "add")).status_code == 403


def test_the_entry_list_searches_and_filters(admin_client, book):
    entry = post(book)
    services.entry_reverse(actor="test", entry=entry)

    assert admin_client.get(url("journalentry"), {"q": "contribution:1"}).status_code == 200
    reversals = admin_client.get(url("journalentry"), {"reversal": "yes"}).context["cl"].result_list
    assert [e.reverses_id for e in reversals] == [entry.pk]
    month = admin_client.get(url("journalentry"), {"effective_date__year": 2026, "effective_date__month": 3})
    assert month.status_code == 200 and month.context["cl"].result_count == 2


def test_reverse_action_posts_reversals_and_reports_a_second_attempt_as_an_error(client, book, fund_admin):
    as_user(client, fund_admin)
    first, second = post(book), post(book)

    response = run_action(client, "journalentry", "reverse_entries", [first.pk, second.pk])

    assert response.status_code == 200
    assert JournalEntry.objects.filter(reverses__in=[first, second]).count() == 2
    assert [level for level, _ in message_levels(response)] == [messages.SUCCESS, messages.SUCCESS]
    assert JournalEntry.objects.get(reverses=first).actor_label == fund_admin.username

    again = run_action(client, "journalentry", "reverse_entries", [first.pk])

    assert again.status_code == 200
    [(level, text)] = message_levels(again)
    assert level == messages.ERROR and "already been reversed" in text
    assert JournalEntry.objects.filter(reverses=first).count() == 1


def test_an_entry_is_reversed_from_its_page_after_a_confirmation(client, book, fund_admin):
    as_user(client, fund_admin)
    entry = post(book)
    action_url = reverse("admin:ledger_journalentry_reverse_this_entry", args=[entry.pk])

    assert client.get(action_url).status_code == 200
    assert not JournalEntry.objects.filter(reverses=entry).exists()

    response = client.post(action_url, follow=True)

    assert response.status_code == 200
    assert JournalEntry.objects.filter(reverses=entry).count() == 1


def test_a_reversal_refused_by_the_ledger_is_a_message_not_a_500(client, book, fund_admin):
    as_user(client, fund_admin)
    entry = post(book)
    services.entry_post(actor="test", ledger=book.ledger, effective_date=D,
                        lines=[debit(book.expense, krw(1_000_000)), credit(book.cash, krw(1_000_000))])

    response = run_action(client, "journalentry", "reverse_entries", [entry.pk])  # cash would go below zero

    [(level, _)] = message_levels(response)
    assert level == messages.ERROR
    assert not JournalEntry.objects.filter(reverses=entry).exists()


def test_auditors_view_everything_and_change_nothing(client, book, auditor):
    as_user(client, auditor)
    entry = post(book)

    assert client.get(url("journalentry")).status_code == 200
    entry_page = client.get(url("journalentry", "change", entry.pk))
    assert entry_page.status_code == 200 and 'name="_save"' not in entry_page.content.decode()
    account_page = client.get(url("account", "change", book.cash.pk))
    assert account_page.status_code == 200 and 'name="_save"' not in account_page.content.decode()
    for model in ("ledger", "account", "journalentry", "hold", "fiscalperiod"):
        assert client.get(url(model, "add")).status_code == 403, model
    assert client.post(url("account", "change", book.cash.pk), {"name_ko": "변경"}).status_code == 403
    assert client.post(url("ledger", "change", book.ledger.pk), {"name_ko": "변경"}).status_code == 403
    assert client.get(reverse("admin:ledger_journalentry_reverse_this_entry", args=[entry.pk])).status_code == 403
    assert Account.objects.get(pk=book.cash.pk).name_ko == book.cash.name_ko

    run_action(client, "journalentry", "reverse_entries", [entry.pk])
    assert not JournalEntry.objects.filter(reverses=entry).exists()


def test_no_one_may_delete_entries_or_lines_not_even_a_superuser(admin_client, admin_user, book):
    entry = post(book)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    entry_admin = admin.site._registry[JournalEntry]
    [line_inline] = [i for i in entry_admin.get_inline_instances(request, entry) if i.model is JournalLine]

    assert not entry_admin.has_delete_permission(request, entry)
    assert not line_inline.has_delete_permission(request, entry)
    assert "delete_selected" not in entry_admin.get_actions(request)
    assert admin_client.get(url("journalentry", "delete", entry.pk)).status_code == 403
    for model in (Ledger, Hold, FiscalPeriod, PeriodEvent):
        assert not admin.site._registry[model].has_delete_permission(request), model
    assert JournalEntry.objects.filter(pk=entry.pk).exists()


def test_only_accounts_nothing_was_posted_to_can_be_deleted(admin_client, admin_user, book):
    post(book)
    unused = AccountFactory(ledger=book.ledger, code="9999")
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    account_admin = admin.site._registry[Account]

    assert not account_admin.has_delete_permission(request, book.cash)
    assert account_admin.has_delete_permission(request, unused)
    assert admin_client.get(url("account", "delete", book.cash.pk)).status_code == 403


def test_editing_an_account_never_writes_its_balances(client, book, fund_admin):
    as_user(client, fund_admin)
    form = {"name_ko": "현금및현금성자산", "name_en": "Cash", "is_active": "on", "non_negative": "on",
            "parent": ""}
    post(book, 5_000)  # a posting lands between loading the form and saving it

    response = client.post(url("account", "change", book.cash.pk), form)

    assert response.status_code == 302
    cash = Account.objects.get(pk=book.cash.pk)
    assert (cash.name_en, cash.debit_total, cash.balance_minor) == ("Cash", 5_000, 5_000)


def test_an_account_form_refuses_a_parent_from_another_ledger(client, book, other_book, fund_admin):
    as_user(client, fund_admin)
    form = {"name_ko": "현금", "name_en": "Cash", "is_active": "on", "parent": other_book.cash.pk}

    response = client.post(url("account", "change", book.cash.pk), form)

    assert response.status_code == 200  # the form again, with its error
    assert Account.objects.get(pk=book.cash.pk).parent is None


def test_fund_admins_create_accounts(client, book, fund_admin):
    as_user(client, fund_admin)
    form = {"ledger": book.ledger.pk, "code": "1120", "name_ko": "보통예금", "name_en": "Deposits",
            "type": AccountType.ASSET, "currency": "KRW", "is_active": "on"}

    assert client.post(url("account", "add"), form).status_code == 302
    assert Account.objects.filter(ledger=book.ledger, code="1120", name_en="Deposits").exists()


def test_voiding_a_hold_releases_it_and_a_second_void_is_an_error(client, book, fund_admin):
    as_user(client, fund_admin)
    post(book, 10_000)
    hold = services.hold_create(actor="test", ledger=book.ledger, effective_date=D,
                                lines=[debit(book.expense, krw(4_000)), credit(book.cash, krw(4_000))])

    response = run_action(client, "hold", "void_holds", [hold.pk])

    assert [level for level, _ in message_levels(response)] == [messages.SUCCESS]
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.VOIDED
    assert Account.objects.get(pk=book.cash.pk).available_minor == 10_000

    again = run_action(client, "hold", "void_holds", [hold.pk])
    assert [level for level, _ in message_levels(again)] == [messages.ERROR]


def test_periods_close_into_net_assets_and_reopen_with_a_reason(client, book, fund_admin):
    as_user(client, fund_admin)
    post(book, 10_000)
    period = FiscalPeriod.objects.create(ledger=book.ledger, year=2026)

    closed = run_action(client, "fiscalperiod", "close_periods", [period.pk])

    assert [level for level, _ in message_levels(closed)] == [messages.SUCCESS]
    assert FiscalPeriod.objects.get(pk=period.pk).status == PeriodStatus.CLOSED
    assert Account.objects.get(pk=book.net_assets.pk).balance_minor == 10_000
    assert 2026 in Ledger.objects.get(pk=book.ledger.pk).closed_years

    form_page = run_action(client, "fiscalperiod", "reopen_periods", [period.pk])
    assert form_page.status_code == 200 and 'name="reason"' in form_page.content.decode()
    assert FiscalPeriod.objects.get(pk=period.pk).status == PeriodStatus.CLOSED

    reopened = run_action(client, "fiscalperiod", "reopen_periods", [period.pk], apply="yes",
                          reason="Late invoice from a grantee")

    assert [level for level, _ in message_levels(reopened)] == [messages.SUCCESS]
    assert FiscalPeriod.objects.get(pk=period.pk).status == PeriodStatus.OPEN
    event = PeriodEvent.objects.get(period=period, action=PeriodEvent.Action.REOPEN)
    assert (event.reason, event.actor_label) == ("Late invoice from a grantee", fund_admin.username)


def test_closing_a_ledger_without_net_assets_is_reported(client, fund_admin):
    as_user(client, fund_admin)
    period = FiscalPeriod.objects.create(ledger=LedgerFactory(), year=2026)

    response = run_action(client, "fiscalperiod", "close_periods", [period.pk])

    [(level, _)] = message_levels(response)
    assert level == messages.ERROR
    assert FiscalPeriod.objects.get(pk=period.pk).status == PeriodStatus.OPEN


def test_renaming_a_ledger_keeps_its_closed_years(client, book, fund_admin):
    as_user(client, fund_admin)
    services.period_close(actor="test", ledger=book.ledger, year=2025, net_assets_account=book.net_assets)

    response = client.post(url("ledger", "change", book.ledger.pk), {"name_ko": "상생협력기금", "name_en": "WWCF"})

    assert response.status_code == 302
    ledger = Ledger.objects.get(pk=book.ledger.pk)
    assert (ledger.name_en, ledger.closed_years, ledger.code) == ("WWCF", [2025], book.ledger.code)


def test_fund_admins_open_a_fiscal_period_row_but_never_set_its_status(client, book, fund_admin):
    as_user(client, fund_admin)

    response = client.post(url("fiscalperiod", "add"), {"ledger": book.ledger.pk, "year": 2027, "status": "closed"})

    assert response.status_code == 302
    assert FiscalPeriod.objects.get(ledger=book.ledger, year=2027).status == PeriodStatus.OPEN
    assert 2027 not in Ledger.objects.get(pk=book.ledger.pk).closed_years


def test_an_account_in_a_currency_the_ledger_does_not_keep_is_refused(client, book, fund_admin):
    as_user(client, fund_admin)
    form = {"ledger": book.ledger.pk, "code": "1130", "name_ko": "외화예금", "name_en": "FX deposits",
            "type": AccountType.ASSET, "currency": "XYZ", "is_active": "on"}

    assert client.post(url("account", "add"), form).status_code == 200
    assert not Account.objects.filter(code="1130").exists()


def test_entry_list_filters_reversals_and_reversed_entries(client, fund_admin, book):
    original, other = post(book), post(book, 5)
    reversal = services.entry_reverse(actor="test", entry=original)
    as_user(client, fund_admin)

    def listed(query):
        response = client.get(url("journalentry") + query)
        assert response.status_code == 200
        return {e.pk for e in response.context["cl"].result_list}

    assert listed("?reversal=yes") == {reversal.pk}
    assert listed("?reversal=no") == {original.pk, other.pk}
    assert listed("?reversed=yes") == {original.pk}
    assert listed("?reversed=no") == {other.pk, reversal.pk}
