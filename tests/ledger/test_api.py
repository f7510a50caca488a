"""The ledger's REST API: posting through it is idempotent and refuses bad input with a 400 naming the field, never
a 500; conflicts answer 409; administrators post, auditors read, nobody else gets in."""

from datetime import date

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from apps.core.money import krw
from apps.ledger import sealing, services
from apps.ledger.models import Account, JournalEntry, JournalLine
from apps.ledger.services import credit, debit

D = date(2026, 3, 2)
BIGINT_MAX = 2**63 - 1
pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/entries/"


def body(book, amount=1_000, *, dr=None, cr=None, when="2026-03-02", **extra):
    return {
        "ledger": book.ledger.pk, "effective_date": when, "memo": "contribution received",
        "lines": [{"account": (dr or book.cash).pk, "debit": amount},
                  {"account": (cr or book.revenue).pk, "credit": amount}],
        **extra,
    }


def post(api, payload, key="key-1", **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return api.post(ENTRIES, payload, format="json", **headers)


def post_direct(book, amount=1_000, *, dr=None, cr=None, when=D, party="", reference=""):
    return services.entry_post(
        actor="test", ledger=book.ledger, effective_date=when, reference=reference,
        lines=[debit(dr or book.cash, krw(amount), party=party), credit(cr or book.revenue, krw(amount), party=party)],
    )


def stored(account):
    account = Account.objects.get(pk=account.pk)
    return account.debit_total, account.credit_total


@pytest.fixture
def admin_api(api_as, fund_admin):
    return api_as(fund_admin)


# Posting


def test_fund_admin_posts_an_entry_and_gets_201_with_its_lines(admin_api, book):
    response = post(admin_api, body(book, 1_700_000_000_000, reference="contribution:7"))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["reference"] == "contribution:7"
    assert data["actor"] == "admin1"
    assert data["seal"] is None
    assert [(ln["account_code"], ln["debit"], ln["credit"]) for ln in data["lines"]] == [
        ("1110", 1_700_000_000_000, 0), ("4100", 0, 1_700_000_000_000),
    ]
    assert stored(book.cash) == (1_700_000_000_000, 0)


def test_replay_with_the_same_key_and_body_returns_the_same_entry(admin_api, book):
    first = post(admin_api, body(book), key="contribution:1")
    again = post(admin_api, body(book), key="contribution:1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert JournalEntry.objects.count() == 1
    assert stored(book.cash) == (1_000, 0)


def test_same_key_with_another_body_is_a_409_conflict(admin_api, book):
    post(admin_api, body(book), key="contribution:1")
    response = post(admin_api, body(book, 1_001), key="contribution:1")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert response.json()["field"] == "idempotency_key"
    assert stored(book.cash) == (1_000, 0)


@pytest.mark.parametrize("key", [None, "", "   ", "k" * 201, "k\x00ey"],
                         ids=["missing", "empty", "blank", "too-long", "control-character"])
def test_posting_without_a_usable_idempotency_key_is_a_400(admin_api, book, key):
    response = post(admin_api, body(book), key=key)
    assert response.status_code == 400
    assert response.json()["field"] == "Idempotency-Key"
    assert JournalEntry.objects.count() == 0


def test_unbalanced_entry_is_a_400_naming_the_lines(admin_api, book):
    payload = body(book)
    payload["lines"][1]["credit"] = 999
    response = post(admin_api, payload)
    assert response.status_code == 400
    assert response.json() == {"code": "unbalanced", "detail": "debits (1,000) and credits (999) differ in KRW",
                               "field": "lines"}
    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize(
    "amount",
    [1.5, 1000.0, 1e3, "1.5", "1000.0", "1,000", "abc", "", True, [1000], {"amount": 1000}, BIGINT_MAX + 1,
     str(10**30)],
    ids=["float", "whole-float", "exponent", "fraction-string", "decimal-string", "thousands-separator", "letters",
         "empty-string", "boolean", "list", "object", "beyond-bigint", "beyond-bigint-string"],
)
def test_an_amount_that_is_not_a_whole_number_of_won_is_a_400(admin_api, book, amount):
    payload = body(book)
    payload["lines"][0]["debit"] = amount
    response = post(admin_api, payload)
    assert response.status_code == 400
    assert response.json()["field"] == "lines[0].debit"
    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda line: line.update(debit=0), "lines[0].amount"),
        (lambda line: line.update(debit=-1_000), "lines[0].amount"),
        (lambda line: line.update(credit=1_000), "lines[0]"),
        (lambda line: line.pop("debit"), "lines[0]"),
        (lambda line: line.update(currency="JPY"), "lines[0].currency"),
        (lambda line: line.update(party="p" * 65), "lines[0].party"),
        (lambda line: line.update(metadata=[1]), "lines[0].metadata"),
        (lambda line: line.update(metadata={"note": ["a\u0000b"]}), "lines[0].metadata"),
        (lambda line: line.update(party="org\u0000"), "lines[0].party"),
    ],
    ids=["zero", "negative", "both-sides", "no-side", "unknown-currency", "long-party",
         "metadata-not-object", "nul-in-metadata", "nul-in-party"],
)
def test_a_malformed_line_is_a_400_naming_it(admin_api, book, change, field):
    payload = body(book)
    change(payload["lines"][0])
    response = post(admin_api, payload)
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert JournalEntry.objects.count() == 0


def test_a_currency_other_than_the_accounts_is_a_400(admin_api, book):
    payload = body(book)
    for line in payload["lines"]:
        line["currency"] = "USD"
    response = post(admin_api, payload)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("currency_mismatch", "lines[0]")


def test_amounts_may_be_strings_of_digits_and_stay_exact_beyond_float_precision(admin_api, book):
    huge = 9_000_000_000_000_000_001
    payload = body(book)
    payload["lines"][0]["debit"] = str(huge)
    payload["lines"][1]["credit"] = huge
    response = post(admin_api, payload)
    assert response.status_code == 201, response.json()
    assert response.json()["lines"][0]["debit"] == huge
    assert JournalLine.objects.get(account=book.cash).debit == huge


@pytest.mark.parametrize("account", [999_999, BIGINT_MAX, "999999"], ids=["unknown", "largest-id", "string-id"])
def test_an_unknown_account_is_a_400_naming_the_line(admin_api, book, account):
    payload = body(book)
    payload["lines"][1]["account"] = account
    response = post(admin_api, payload)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_account"
    assert response.json()["field"] == "lines[1].account"
    assert JournalEntry.objects.count() == 0


def test_an_account_of_another_ledger_is_a_400(admin_api, book, other_book):
    response = post(admin_api, body(book, cr=other_book.revenue))
    assert response.status_code == 400
    assert response.json()["field"] == "lines[1].account"
    assert "another ledger" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: p.update(ledger=999_999), "ledger"),
        (lambda p: p.update(ledger=10**30), "ledger"),
        (lambda p: p.update(ledger="main"), "ledger"),
        (lambda p: p.update(effective_date="2026-02-30"), "effective_date"),
        (lambda p: p.update(effective_date="yesterday"), "effective_date"),
        (lambda p: p.pop("effective_date"), "effective_date"),
        (lambda p: p.update(lines="cash"), "lines"),
        (lambda p: p.update(lines=[]), "lines"),
        (lambda p: p["lines"].pop(), "lines"),
        (lambda p: p["lines"][0].update(account="cash"), "lines[0].account"),
        (lambda p: p["lines"][0].update(account=10**30), "lines[0].account"),
        (lambda p: p["lines"][0].pop("account"), "lines[0].account"),
        (lambda p: p.update(reference="r" * 129), "reference"),
        (lambda p: p.update(metadata="note"), "metadata"),
        (lambda p: p.update(metadata={"n\u0000": 1}), "metadata"),
        (lambda p: p.update(memo="a\u0000b"), "memo"),
    ],
    ids=["unknown-ledger", "huge-ledger-id", "ledger-not-an-id", "impossible-date", "words-for-date", "no-date",
         "lines-not-a-list", "no-lines", "one-line", "account-not-an-id", "huge-account-id", "no-account",
         "long-reference", "metadata-not-object", "nul-in-metadata", "nul-in-memo"],
)
def test_a_malformed_entry_is_a_400_naming_the_field(admin_api, book, change, field):
    payload = body(book)
    change(payload)
    response = post(admin_api, payload)
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert response.json()["detail"]
    assert JournalEntry.objects.count() == 0


@pytest.mark.parametrize("raw", ['{"ledger": ', "[]", "null", '{"lines": [{"debit": NaN}]}'],
                         ids=["truncated", "array", "null", "nan"])
def test_a_body_that_is_not_an_entry_object_is_a_400(admin_api, book, raw):
    response = admin_api.post(ENTRIES, raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400
    assert response.json()["code"]
    assert JournalEntry.objects.count() == 0


def test_totals_beyond_what_the_database_stores_are_a_400_not_a_500(admin_api, book):
    assert post(admin_api, body(book, BIGINT_MAX), key="a").status_code == 201
    response = post(admin_api, body(book, 1), key="b")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("invalid_entry", "lines")
    assert stored(book.cash) == (BIGINT_MAX, 0)
    assert JournalEntry.objects.count() == 1


def test_posting_into_a_closed_year_is_a_409(admin_api, book):
    services.period_close(actor="test", ledger=book.ledger, year=2025, net_assets_account=book.net_assets)
    response = post(admin_api, body(book, when="2025-12-31"))
    assert response.status_code == 409
    assert response.json()["code"] == "period_closed"
    assert response.json()["field"] == "effective_date"


def test_taking_a_limited_account_below_zero_is_a_409(admin_api, book):
    response = post(admin_api, body(book, 1, dr=book.expense, cr=book.cash))
    assert response.status_code == 409
    assert response.json()["code"] == "limit_exceeded"
    assert stored(book.cash) == (0, 0)


def test_a_sealed_entry_shows_its_number_and_hash(admin_api, book):
    entry_id = post(admin_api, body(book)).json()["id"]
    sealing.seal_ledger(book.ledger.pk)
    seal = admin_api.get(f"{ENTRIES}{entry_id}/").json()["seal"]
    assert seal["number"] == "2026-000001"
    assert len(seal["hash"]) == 64


@pytest.mark.parametrize("pk", ["999999", "abc", str(10**30)], ids=["unknown", "not-a-number", "huge"])
def test_an_unknown_entry_is_a_404(admin_api, book, pk):
    assert admin_api.get(f"{ENTRIES}{pk}/").status_code == 404
    assert admin_api.post(f"{ENTRIES}{pk}/reverse/", {}, format="json").status_code == 404


# Reversal


def test_reversal_posts_the_mirror_and_a_second_reversal_is_a_409(admin_api, book):
    original = post(admin_api, body(book, 700)).json()
    response = admin_api.post(f"{ENTRIES}{original['id']}/reverse/", {"memo": "typo"}, format="json")
    assert response.status_code == 201, response.json()
    reversal = response.json()
    assert reversal["reverses"] == original["id"]
    assert reversal["memo"] == "typo"
    assert [(ln["debit"], ln["credit"]) for ln in reversal["lines"]] == [(0, 700), (700, 0)]
    assert stored(book.cash) == (700, 700)
    assert admin_api.get(f"{ENTRIES}{original['id']}/").json()["reversed_by"] == reversal["id"]

    again = admin_api.post(f"{ENTRIES}{original['id']}/reverse/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_reversed"
    assert JournalEntry.objects.count() == 2


def test_reversal_replayed_with_its_key_returns_the_same_reversal(admin_api, book):
    original = post_direct(book)
    url = f"{ENTRIES}{original.pk}/reverse/"
    first = admin_api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="undo-1")
    again = admin_api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="undo-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert JournalEntry.objects.count() == 2


def test_reversal_takes_an_effective_date_and_refuses_a_malformed_one(admin_api, book):
    original = post_direct(book)
    url = f"{ENTRIES}{original.pk}/reverse/"
    bad = admin_api.post(url, {"effective_date": "03/04/2026"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["field"] == "effective_date"
    response = admin_api.post(url, {"effective_date": "2026-04-01"}, format="json")
    assert response.status_code == 201
    assert response.json()["effective_date"] == "2026-04-01"


# Reading entries


def test_entries_filter_by_ledger_dates_account_reference_and_party(admin_api, book, other_book):
    march = post_direct(book, 100, reference="contribution:1", party="org:1")
    april = post_direct(book, 200, dr=book.receivable, when=date(2026, 4, 1), reference="contribution:2")
    other = post_direct(other_book, 300)

    def ids(**params):
        response = admin_api.get(ENTRIES, params)
        assert response.status_code == 200, response.json()
        return [e["id"] for e in response.json()["results"]]

    assert ids() == [other.pk, april.pk, march.pk]
    assert ids(ledger=book.ledger.pk) == [april.pk, march.pk]
    assert ids(effective_date_from="2026-03-15") == [april.pk]
    assert ids(effective_date_from="2026-03-03", effective_date_to="2026-04-30") == [april.pk]
    assert ids(effective_date_to="2026-03-02") == [other.pk, march.pk]
    assert ids(account=book.receivable.pk) == [april.pk]
    assert ids(account=book.revenue.pk) == [april.pk, march.pk]
    assert ids(reference="contribution:1") == [march.pk]
    assert ids(party="org:1") == [march.pk]
    assert ids(party="org:404") == []


@pytest.mark.parametrize(
    "params",
    [{"effective_date_from": "2026-13-01"}, {"effective_date_to": "soon"}, {"account": "cash"},
     {"account": "999999"}, {"account": str(10**30)}, {"ledger": "abc"}, {"party": "p" * 65},
     {"party": "org\x00"}, {"reference": "a\x00"}],
    ids=["bad-month", "words", "account-not-an-id", "unknown-account", "huge-account", "ledger-not-an-id",
         "long-party", "nul-in-party", "nul-in-reference"],
)
def test_entry_filters_that_cannot_be_read_are_a_400(admin_api, book, params):
    post_direct(book)
    response = admin_api.get(ENTRIES, params)
    assert response.status_code == 400
    assert response.json()["field"] == next(iter(params))


def test_entry_list_is_paginated_and_an_absurd_page_is_harmless(admin_api, book):
    for _ in range(3):
        post_direct(book)
    page = admin_api.get(ENTRIES, {"limit": 2}).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"]
    assert len(admin_api.get(ENTRIES, {"limit": str(10**30)}).json()["results"]) == 3
    assert admin_api.get(ENTRIES, {"offset": str(BIGINT_MAX)}).json()["results"] == []


# Ledgers, accounts and balances


def test_ledgers_show_their_codes_names_and_closed_years(admin_api, book):
    services.period_close(actor="test", ledger=book.ledger, year=2025, net_assets_account=book.net_assets)
    data = admin_api.get(f"/api/v1/ledgers/{book.ledger.pk}/").json()
    assert data["code"] == "wwcf"
    assert data["currency"] == "KRW"
    assert data["closed_years"] == [2025]
    assert [ledger["code"] for ledger in admin_api.get("/api/v1/ledgers/").json()["results"]] == ["wwcf"]


def test_trial_balance_columns_add_up_now_and_as_of_a_date(admin_api, book):
    post_direct(book, 1_000)
    post_direct(book, 300, dr=book.expense, cr=book.cash)
    post_direct(book, 50, when=date(2026, 5, 1))
    url = f"/api/v1/ledgers/{book.ledger.pk}/trial-balance/"

    now = admin_api.get(url).json()
    assert now["is_balanced"] is True
    assert now["total_debit"] == now["total_credit"] == 1_050
    rows = {row["code"]: (row["debit_balance"], row["credit_balance"]) for row in now["rows"]}
    assert rows["1110"] == (750, 0)
    assert rows["4100"] == (0, 1_050)
    assert rows["5100"] == (300, 0)
    assert {row["type"] for row in now["rows"]} >= {"asset", "revenue", "expense"}

    march = admin_api.get(url, {"as_of": "2026-03-31"}).json()
    assert march["as_of"] == "2026-03-31"
    assert march["total_debit"] == march["total_credit"] == 1_000


@pytest.mark.parametrize("as_of", ["2026-02-30", "today", "2026/03/31"])
def test_a_malformed_as_of_is_a_400(admin_api, book, as_of):
    for url in (f"/api/v1/ledgers/{book.ledger.pk}/trial-balance/", f"/api/v1/accounts/{book.cash.pk}/",
                f"/api/v1/ledgers/{book.ledger.pk}/party-balances/"):
        response = admin_api.get(url, {"as_of": as_of})
        assert response.status_code == 400, url
        assert response.json()["field"] == "as_of"


def test_account_shows_its_balance_now_and_as_of_a_date(admin_api, book):
    post_direct(book, 1_000)
    post_direct(book, 400, dr=book.expense, cr=book.cash, when=date(2026, 4, 1))
    services.hold_create(actor="test", ledger=book.ledger, effective_date=D,
                         lines=[debit(book.expense, krw(100)), credit(book.cash, krw(100))])
    url = f"/api/v1/accounts/{book.cash.pk}/"

    now = admin_api.get(url).json()
    assert (now["balance"], now["available"]) == (600, 500)
    assert (now["debit_total"], now["credit_total"]) == (1_000, 400)
    assert (now["reserved_debit"], now["reserved_credit"]) == (0, 100)
    assert now["as_of"] is None

    march = admin_api.get(url, {"as_of": "2026-03-31"}).json()
    assert march["as_of"] == "2026-03-31"
    assert (march["balance"], march["debit_total"], march["credit_total"]) == (1_000, 1_000, 0)
    assert march["available"] is None
    assert admin_api.get(url, {"as_of": "2026-01-01"}).json()["balance"] == 0

    revenue = admin_api.get(f"/api/v1/accounts/{book.revenue.pk}/").json()
    assert revenue["balance"] == 1_000  # credit-normal: shown positive on its normal side


def test_accounts_filter_by_ledger_type_code_and_activity(admin_api, book, other_book):
    Account.objects.filter(pk=book.payable.pk).update(is_active=False)

    def codes(**params):
        response = admin_api.get("/api/v1/accounts/", params)
        assert response.status_code == 200, response.json()
        return [(a["ledger"], a["code"]) for a in response.json()["results"]]

    assert len(codes()) == 12
    assert codes(ledger=book.ledger.pk, type="asset") == [(book.ledger.pk, "1110"), (book.ledger.pk, "1210")]
    assert codes(code="4100") == [(other_book.ledger.pk, "4100"), (book.ledger.pk, "4100")]  # "relief" < "wwcf"
    assert codes(ledger=book.ledger.pk, is_active="false") == [(book.ledger.pk, "2110")]
    assert admin_api.get("/api/v1/accounts/", {"type": "gold"}).status_code == 400
    assert admin_api.get("/api/v1/accounts/", {"ledger": "999999"}).status_code == 400
    assert admin_api.get("/api/v1/accounts/", {"code": "41\x00"}).status_code == 400


def test_statement_carries_running_balances_from_the_opening_balance(admin_api, book):
    post_direct(book, 1_000, when=date(2026, 2, 1))
    post_direct(book, 300, dr=book.expense, cr=book.cash, when=date(2026, 3, 1))
    post_direct(book, 50, when=date(2026, 3, 10))
    post_direct(book, 20, dr=book.expense, cr=book.cash, when=date(2026, 4, 1))
    url = f"/api/v1/accounts/{book.cash.pk}/statement/"

    march = admin_api.get(url, {"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert (march["from"], march["to"], march["opening_balance"]) == ("2026-03-01", "2026-03-31", 1_000)
    assert [(ln["debit"], ln["credit"], ln["balance"]) for ln in march["lines"]] == [(0, 300, 700), (50, 0, 750)]
    assert march["next"] is None

    everything = admin_api.get(url).json()
    assert [ln["balance"] for ln in everything["lines"]] == [1_000, 700, 750, 730]

    page = admin_api.get(url, {"limit": 2, "offset": 1}).json()
    assert [ln["balance"] for ln in page["lines"]] == [700, 750]
    assert "offset=3" in page["next"]
    assert [ln["balance"] for ln in admin_api.get(page["next"]).json()["lines"]] == [730]

    from_the_first_day = admin_api.get(url, {"from": "0001-01-01"}).json()
    assert [ln["balance"] for ln in from_the_first_day["lines"]] == [1_000, 700, 750, 730]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"from": "2026-04-01", "to": "2026-03-01"}, "to"), ({"from": "March"}, "from"), ({"limit": 0}, "limit"),
     ({"limit": 10**6}, "limit"), ({"offset": -1}, "offset"), ({"offset": BIGINT_MAX}, "offset")],
    ids=["to-before-from", "words", "zero-limit", "huge-limit", "negative-offset", "huge-offset"],
)
def test_a_malformed_statement_request_is_a_400(admin_api, book, params, field):
    response = admin_api.get(f"/api/v1/accounts/{book.cash.pk}/statement/", params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_party_balances_sum_each_partys_lines(admin_api, book, other_book):
    post_direct(book, 1_000, party="org:1")
    post_direct(book, 250, party="org:2")
    post_direct(book, 100, dr=book.expense, cr=book.cash, party="org:1", when=date(2026, 4, 1))
    post_direct(other_book, 999, party="org:1")
    url = f"/api/v1/ledgers/{book.ledger.pk}/party-balances/"

    data = admin_api.get(url).json()
    assert data["parties"] == [
        {"party": "org:1", "debit": 1_100, "credit": 1_100, "net": 0},
        {"party": "org:2", "debit": 250, "credit": 250, "net": 0},
    ]
    cash = admin_api.get(url, {"account": book.cash.pk, "as_of": "2026-03-31"}).json()
    assert cash["parties"] == [
        {"party": "org:1", "debit": 1_000, "credit": 0, "net": 1_000},
        {"party": "org:2", "debit": 250, "credit": 0, "net": 250},
    ]
    foreign = admin_api.get(url, {"account": other_book.cash.pk})
    assert foreign.status_code == 400
    assert foreign.json()["field"] == "account"


# Who may do what


def read_endpoints(book, entry):
    return [
        "/api/v1/",
        "/api/v1/ledgers/",
        f"/api/v1/ledgers/{book.ledger.pk}/",
        f"/api/v1/ledgers/{book.ledger.pk}/trial-balance/",
        f"/api/v1/ledgers/{book.ledger.pk}/party-balances/",
        "/api/v1/accounts/",
        f"/api/v1/accounts/{book.cash.pk}/",
        f"/api/v1/accounts/{book.cash.pk}/statement/",
        ENTRIES,
        f"{ENTRIES}{entry.pk}/",
    ]


READ_PATHS = ["root", "ledgers", "ledger", "trial-balance", "party-balances", "accounts", "account", "statement",
              "entries", "entry"]
PEOPLE = ["anonymous", "outsider", "auditor", "fund_admin"]


def client_for(request, api, who):
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    return api


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("index", range(len(READ_PATHS)), ids=READ_PATHS)
def test_who_may_read(request, api, book, who, index):
    url = read_endpoints(book, post_direct(book))[index]
    response = client_for(request, api, who).get(url)
    if who in ("auditor", "fund_admin"):
        assert response.status_code == 200
    elif who == "outsider":
        assert response.status_code == 403
    else:
        assert response.status_code in (401, 403)
    if response.status_code != 200:
        assert set(response.json()) == {"code", "detail"}


def write_endpoints(book, entry):
    return {
        "create-entry": (ENTRIES, body(book), 201),
        "reverse-entry": (f"{ENTRIES}{entry.pk}/reverse/", {}, 201),
        "ledgers": ("/api/v1/ledgers/", {"code": "x"}, 405),
        "accounts": ("/api/v1/accounts/", {"code": "x"}, 405),
    }


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("name", ["create-entry", "reverse-entry", "ledgers", "accounts"])
def test_who_may_write(request, api, book, who, name):
    entry = post_direct(book)
    url, payload, admin_status = write_endpoints(book, entry)[name]
    response = client_for(request, api, who).post(url, payload, format="json", HTTP_IDEMPOTENCY_KEY=f"{who}-{name}")
    if who == "fund_admin":
        assert response.status_code == admin_status
    elif who in ("outsider", "auditor"):
        assert response.status_code == 403
    else:
        assert response.status_code in (401, 403)
    if who != "fund_admin":
        assert JournalEntry.objects.count() == 1


def test_a_token_carries_its_users_role(api, auditor, book):
    token = Token.objects.create(user=auditor)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(ENTRIES).status_code == 200
    assert post(api, body(book)).status_code == 403
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api.get(ENTRIES).status_code in (401, 403)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_posted_entries_cannot_be_changed_or_deleted_through_the_api(admin_api, book, method):
    entry = post_direct(book)
    response = getattr(admin_api, method)(f"{ENTRIES}{entry.pk}/", {"memo": "edited"}, format="json")
    assert response.status_code == 405
    assert JournalEntry.objects.get().memo == entry.memo


# The published schema


def test_schema_lists_every_endpoint(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = set(response.json()["paths"])
    assert paths >= {
        "/api/v1/ledgers/", "/api/v1/ledgers/{id}/", "/api/v1/ledgers/{id}/trial-balance/",
        "/api/v1/ledgers/{id}/party-balances/", "/api/v1/accounts/", "/api/v1/accounts/{id}/",
        "/api/v1/accounts/{id}/statement/", "/api/v1/entries/", "/api/v1/entries/{id}/",
        "/api/v1/entries/{id}/reverse/",
    }
    create = response.json()["paths"]["/api/v1/entries/"]["post"]
    header = next(p for p in create["parameters"] if p["name"] == "Idempotency-Key")
    assert (header["in"], header["required"]) == ("header", True)


def test_swagger_ui_is_served(api):
    assert api.get("/api/docs/").status_code == 200


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
