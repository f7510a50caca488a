"""The auditors' area in a real browser (Debian's Chromium through Playwright), in Korean: an auditor signs in,
reads a fund's balances, finds an entry by its memo and opens its lines, then finds a change in the audit trail
and reads its values before and after; a company's member is turned away."""

from datetime import date

import pytest
from playwright.sync_api import expect

from apps.core.money import krw
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.services import credit, debit
from apps.organizations.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR", "viewport": {"width": 1280, "height": 900}}


def sign_in(page, live_server, username, then):
    page.goto(f"{live_server.url}{then}")
    assert page.url.startswith(live_server.url + "/portal/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{then}")


def test_an_auditor_reads_the_books_and_the_trail(live_server, page, wwcf, auditor, org_a):
    cash, revenue = fund_account(wwcf, chart.CASH), fund_account(wwcf, chart.CONTRIBUTION_REVENUE)
    ledger.entry_post(actor="test", ledger=wwcf.ledger, effective_date=date(2026, 3, 2), memo="한빛전자 출연금",
                      lines=[debit(cash, krw(1_500_000_000)), credit(revenue, krw(1_500_000_000), party="org:1")])
    Organization.objects.filter(pk=org_a.pk).update(name_en="Hanbit Global")

    sign_in(page, live_server, "auditor1", "/auditor/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text().startswith("감사인 영역")

    page.get_by_role("link", name=wwcf.name_ko).click()
    assert page.locator(f"td[data-account='{chart.CASH}']").inner_text().startswith("1,500,000,000")

    page.get_by_role("link", name="분개", exact=True).first.click()
    page.fill("#id_q", "출연금")
    page.get_by_role("button", name="검색").click()
    rows = page.locator("#entries tbody tr")
    expect(rows).to_have_count(1)  # waits for the results page, where a count taken mid-navigation would not
    expect(rows.first).to_contain_text("한빛전자 출연금")
    rows.first.get_by_role("link").first.click()
    expect(page.locator("#lines")).to_contain_text("org:1")
    assert "1,500,000,000" in page.locator("#lines tfoot").inner_text()

    page.get_by_role("link", name="감사 추적", exact=True).first.click()
    page.select_option("#id_table", "organizations_organization")
    page.select_option("#id_action", "update")
    page.get_by_role("button", name="검색").click()
    events = page.locator("#events tbody tr")
    expect(events).to_have_count(1)
    events.first.get_by_role("link").first.click()
    expect(page.locator("#changes")).to_contain_text("Hanbit Electronics")
    expect(page.locator("#changes")).to_contain_text("Hanbit Global")


def test_a_company_member_is_turned_away(live_server, page, member_a):
    sign_in(page, live_server, "member_a", "/portal/")
    response = page.goto(f"{live_server.url}/auditor/")
    assert response.status == 403
