"""The statements in a real browser, in Korean: an auditor signs in, reads each statement of the consolidated
funds and of one fund, switches the unit, and prints; screenshots go to var/screenshots/."""

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = settings.BASE_DIR / "var" / "screenshots"
PERIOD = "date_from=2026-01-01&date_to=2026-12-31"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR", "viewport": {"width": 1280, "height": 900}}


def sign_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/portal/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{next_url}*")


@pytest.mark.parametrize(("kind", "title", "visible"), [
    ("position", "재정상태표", "부채와 순자산 총계"),
    ("operations", "재정운영표", "운영차액 (수익 − 비용)"),
    ("net-assets", "순자산변동표", "기말 순자산"),
    ("cash-flow", "현금흐름표", "투자활동 순현금흐름"),
])
def test_an_auditor_reads_each_consolidated_statement_in_korean(live_server, page, books, auditor, kind, title,
                                                                 visible):
    SHOTS.mkdir(parents=True, exist_ok=True)
    url = f"/auditor/statements/consolidated/{kind}/"
    sign_in(page, live_server, "auditor1", url)
    page.goto(f"{live_server.url}{url}?{PERIOD}")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.get_by_role("heading", name=title).is_visible()
    assert page.get_by_text(visible, exact=True).first.is_visible()
    assert page.get_by_text("상계하였습니다").first.is_visible()
    assert page.locator(".checks li.bad").count() == 0
    page.screenshot(path=str(SHOTS / f"statement-consolidated-{kind}-ko.png"), full_page=True)


def test_a_fund_administrator_switches_units_and_prints_one_funds_statements(live_server, page, books, fund_admin):
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, "admin1", "/auditor/statements/")
    page.goto(f"{live_server.url}/auditor/statements/?scope=wwcf&{PERIOD}")
    assert page.get_by_role("heading", name="재무제표 · 상생협력기금").is_visible()
    assert page.locator('tr[data-key="1110"] td.num').first.inner_text() == "1,230,000,000"
    page.select_option("#id_unit", "million")
    page.get_by_role("button", name="조회").click()
    page.wait_for_url("**unit=million**")
    assert page.locator('tr[data-key="1110"] td.num').first.inner_text() == "1,230"
    assert page.get_by_text("반올림").first.is_visible()
    page.screenshot(path=str(SHOTS / "statements-wwcf-ko.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("form.statement-choices").is_visible()
    page.screenshot(path=str(SHOTS / "statements-wwcf-print.png"), full_page=True)


def test_a_company_member_is_refused(live_server, page, books, member_a):
    sign_in(page, live_server, "member_a", "/portal/")
    assert page.goto(f"{live_server.url}/auditor/statements/").status == 403
