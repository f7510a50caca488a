"""The statements pages: for fund administrators and auditors only, printable, in the unit the reader picks, and
as an XLSX workbook that opens."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.statements.selectors import KINDS

PAGES = [reverse("statements:index"), reverse("statements:xlsx", args=["wwcf"])] + [
    reverse("statements:detail", args=["consolidated", kind]) for kind in KINDS]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_readers_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


@pytest.mark.parametrize("url", PAGES)
def test_company_members_and_other_users_are_refused(client, member_a, outsider, url):
    for user in (member_a, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_auditors_and_fund_administrators_read_them(client, funds, auditor, fund_admin, url):
    for user in (auditor, fund_admin):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_index_shows_all_four_statements_with_comparatives(client, books, auditor):
    client.force_login(auditor)
    html = client.get(reverse("statements:index"), {"scope": "wwcf", "date_from": "2026-01-01",
                                                    "date_to": "2026-12-31"}).content.decode()
    for title in ("재정상태표", "재정운영표", "순자산변동표", "현금흐름표"):
        assert title in html
    assert "1,230,000,000" in html  # cash at the end of 2026
    assert "800,000,000" in html  # cash at the end of 2025, beside it
    assert "2025-01-01 – 2025-12-31" in html
    assert "· 기간 2026-01-01 – 2026-12-31 · 단위: 원" in html  # words of this room, whatever other rooms translate
    assert "@media print" in html


def test_the_reader_picks_the_unit(client, books, auditor):
    client.force_login(auditor)
    url = reverse("statements:detail", args=["wwcf", "position"])
    html = client.get(url, {"date_from": "2026-01-01", "date_to": "2026-12-31", "unit": "million"}).content.decode()
    assert "1,230" in html and "1,230,000,000" not in html
    assert "백만원" in html
    assert "반올림" in html  # the rounding note


def test_the_consolidated_page_says_what_it_eliminated(client, books, fund_admin):
    client.force_login(fund_admin)
    html = client.get(reverse("statements:detail", args=["consolidated", "position"]),
                      {"date_from": "2026-01-01"}).content.decode()
    assert "상계" in html and "20,000,000원" in html  # 50 m owed, 30 m of it paid


def test_a_period_ending_before_it_starts_is_refused_with_the_reason(client, books, auditor):
    client.force_login(auditor)
    response = client.get(reverse("statements:index"), {"date_from": "2026-06-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


def test_an_unknown_fund_or_statement_is_not_found(client, funds, auditor):
    client.force_login(auditor)
    assert client.get(reverse("statements:detail", args=["nofund", "position"])).status_code == 404
    assert client.get(reverse("statements:detail", args=["wwcf", "balance"])).status_code == 404


def test_the_xlsx_opens_with_one_sheet_per_statement(client, books, auditor):
    client.force_login(auditor)
    response = client.get(reverse("statements:xlsx", args=["wwcf"]),
                          {"date_from": "2026-01-01", "date_to": "2026-12-31", "unit": "thousand"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["재정상태표", "재정운영표", "순자산변동표", "현금흐름표", "주석"]
    sheet = workbook["재정상태표"]
    cash = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "현금및현금성자산")
    assert cash[2:4] == (1_230_000, 800_000)


def test_an_english_reader_gets_english_labels(client, books, auditor):
    client.force_login(auditor)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("statements:detail", args=["wwcf", "cash-flow"]),
                      {"date_from": "2026-01-01"}).content.decode()
    assert "Cash-flow statement" in html and "Net cash from investing activities" in html
    assert "Cash at the end of the period" in html and "기말 현금" not in html


def test_the_notes_give_the_cash_flow_classification_and_the_closed_years(client, books, auditor):
    client.force_login(auditor)
    response = client.get(reverse("statements:index"), {"scope": "wwcf"})
    notes = response.context["notes"]
    activity = {row.code: row.activity_ko for row in notes.classification}
    assert activity["1310"] == "투자활동" and activity["2410"] == "재무활동" and activity["4100"] == "운영활동"
    assert "1110" not in activity  # cash is what is classified, not a counter-account
    assert [f.years for f in notes.closed_years] == [[2025]]
    assert 'id="classification"' in response.content.decode()


def test_the_back_office_sidebar_links_the_statements_for_those_who_may_read_them(client, funds, auditor,
                                                                                   django_user_model):
    url = reverse("admin:ledger_account_changelist")
    client.force_login(auditor)
    assert reverse("statements:index") in client.get(url).content.decode()
    clerk = django_user_model.objects.create_user("clerk", password="pw", is_staff=True, is_superuser=False)
    client.force_login(clerk)
    assert reverse("statements:index") not in client.get(reverse("admin:index")).content.decode()
