"""The home page: Korean by default, English on request, and the books for the people who keep them."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from moneyed import Money

from apps.core.money import krw
from apps.ledger import services
from apps.ledger.services import credit, debit
from tests.ledger.conftest import make_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded_book(db):
    book = make_book()
    amount = krw(1_700_000_000_000)
    services.entry_post(actor="test", ledger=book.ledger, effective_date=date(2026, 3, 2),
                        lines=[debit(book.cash, amount), credit(book.revenue, amount)])
    return book


def test_home_page_is_korean_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "상생기금 원장" in html
    assert 'href="/admin/"' in html and 'href="/api/docs/"' in html and 'href="/api/schema/"' in html
    assert 'action="/i18n/setlang/"' in html


def test_the_language_switch_turns_the_site_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"

    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "The four funds" in html

    client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert "4대 기금" in client.get("/").content.decode()


def test_a_browser_asking_for_english_gets_english(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Where to go" in html


def test_anonymous_visitors_see_no_books(client, funded_book):
    html = client.get("/").content.decode()

    assert "1조 7,000억 원" not in html
    assert "/admin/login/?next=/" in html


@pytest.mark.parametrize("who", ["fund_admin", "auditor"])
def test_fund_admins_and_auditors_see_cash_in_korean_units_and_the_trial_balance(client, funded_book, who, request):
    client.force_login(request.getfixturevalue(who))

    html = client.get("/").content.decode()

    assert "1조 7,000억 원" in html
    assert "1,700,000,000,000원" in html
    assert "시산표" in html and "일치" in html


def test_other_signed_in_users_are_told_why_they_see_no_books(client, funded_book, outsider):
    client.force_login(outsider)

    html = client.get("/").content.decode()

    assert "1조 7,000억 원" not in html
    assert "기금 관리자나 감사인이 아니어서" in html


def test_the_admin_login_page_renders_in_korean(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "로그인" in response.content.decode()


@pytest.mark.parametrize(
    ("value", "won", "korean"),
    [
        (1_700_000_000_000, "1,700,000,000,000원", "1조 7,000억 원"),
        (12_345, "12,345원", "1만 2,345 원"),
        (0, "0원", "0 원"),
        (Decimal("500000000"), "500,000,000원", "5억 원"),
        (Money(250_000_000, "KRW"), "250,000,000원", "2억 5,000만 원"),
        (None, "", ""),
    ],
)
def test_won_filters_format_whole_won(value, won, korean):
    template = Template("{% load won %}[{{ value|won }}][{{ value|korean_won }}]")

    assert template.render(Context({"value": value})) == f"[{won}][{korean}]"
