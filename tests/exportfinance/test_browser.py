"""The export-finance pages in a real browser (Debian's Chromium through Playwright), in Korean: a beneficiary's
finance officer files a profit report with a double click that files once, is told what is wrong beside the field,
sees the share due; another company's officer cannot reach the project."""

import re

import pytest
from playwright.sync_api import expect

from apps.exportfinance import services
from apps.exportfinance.models import ProfitReport, ProfitShare

from .conftest import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR", "viewport": {"width": 1280, "height": 900}}


def sign_in(page, live_server, username, then: str):
    page.goto(live_server.url + then)
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(live_server.url + then)


def test_an_officer_files_a_report_once_and_sees_the_share_due(live_server, page, sef, org_a, member_a, member_b,
                                                                rule):
    project = make_project(org_a, name="LNG 운반선 수출")
    services.disbursement_post(actor="test", project=project, amount=2_000_000_000,
                               effective_date=project.start_date, idempotency_key="d")
    sign_in(page, live_server, "member_a", "/portal/exportfinance/")
    assert page.get_by_text("LNG 운반선 수출").is_visible() and page.get_by_text("20억 원").first.is_visible()

    page.get_by_role("link", name="LNG 운반선 수출").click()
    page.get_by_role("link", name="이익 보고서 제출").click()
    page.fill("#id_year", "2025")
    page.select_option("#id_period", "H1")
    page.fill("#id_operating_profit", "12억")
    page.fill("#id_net_profit", "900,000,000")
    page.get_by_role("button", name="보고서 제출").click()
    expect(page.locator("#id_operating_profit_error")).to_be_visible()  # "12억" is not a number of won
    assert not ProfitReport.objects.exists()

    page.fill("#id_operating_profit", "1,234,567,890")
    page.get_by_role("button", name="보고서 제출").dblclick()  # a double click files once
    page.wait_for_url(re.compile(rf".*/portal/exportfinance/projects/{project.pk}/$"))
    assert ProfitReport.objects.count() == 1
    assert ProfitShare.objects.get().amount_due == 123_456_789  # recycled as the report committed
    page.reload()
    assert page.get_by_text("1억 2,345만 6,789 원").is_visible()

    page.context.clear_cookies()
    sign_in(page, live_server, "member_b", "/portal/exportfinance/")
    assert page.get_by_text("LNG 운반선 수출").count() == 0
    answer = page.goto(f"{live_server.url}/portal/exportfinance/projects/{project.pk}/")
    assert answer.status == 404
