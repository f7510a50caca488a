"""The portal in a real browser (Debian's Chromium through Playwright), in Korean: a finance officer submits a
contribution through the form and its confirmation step, a fund administrator confirms it in the back office,
government matching runs, and the officer finds the receipt, the match and the tax credit; a member of another
company can neither see it nor reach it."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from apps.contributions.models import Contribution, ContributionStatus
from apps.contributions.services import contribution_confirm
from apps.matching.models import MatchingBudget, MatchingRule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR", "viewport": {"width": 1280, "height": 900}}


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/portal/")
    assert page.url.startswith(live_server.url + "/portal/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/portal/")


def confirm_in_the_back_office(page, live_server, contribution):
    """A fund administrator signs in to the back office and confirms the contribution with the list's action."""
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/?next=/admin/contributions/contribution/")
    page.fill("#id_username", "admin1")
    page.fill("#id_password", "pw-admin1")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/contributions/contribution/")
    page.locator(f"input.action-select[value='{contribution.pk}']").check()
    page.select_option("select[name=action]", "confirm_contributions")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    assert "1 contribution(s) confirmed." in page.content() or "1건의 출연을 확인했습니다" in page.content()
    page.context.clear_cookies()


def test_an_officer_submits_a_contribution_and_finds_its_receipt_and_credit(
        live_server, page, uses, member_a, fund_admin, tmp_path):
    wwcf = uses["wwcf"]
    MatchingRule.objects.create(fund=wwcf, program="", ratio=Decimal("1"), valid_from=date(2026, 1, 1))
    MatchingBudget.objects.create(fund=wwcf, program="", year=2026, amount=10_000_000_000)
    sign_in(page, live_server, "member_a")
    assert page.locator("html").get_attribute("lang") == "ko"

    page.get_by_role("link", name="새 출연 신청").first.click()
    page.select_option("#id_fund", label="상생협력기금")
    page.select_option("#id_designated_use", label="기술협력")
    page.fill("#id_amount", "1,500,000,000")
    page.fill("#id_contribution_date", "2026-03-02")
    page.fill("#id_program", "협력사 스마트공장 구축")
    page.get_by_role("button", name="입력 내용 확인").click()

    expect(page.get_by_text("15억 원")).to_be_visible()
    assert not Contribution.objects.exists()  # nothing is submitted before the confirmation step
    page.get_by_role("button", name="출연 신청 제출").dblclick()  # a double click submits once
    page.wait_for_url(re.compile(r".*/portal/contributions/\d+/$"))

    contribution = Contribution.objects.get()
    assert contribution.amount == 1_500_000_000 and contribution.status == ContributionStatus.SUBMITTED
    assert "신청됨" in page.content()

    confirm_in_the_back_office(page, live_server, contribution)  # the money arrives; matching runs on commit
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.MATCHED
    assert contribution.match.matched == 1_500_000_000  # 1 : 1, within the budget
    receipt = contribution.receipt

    sign_in(page, live_server, "member_a")

    html = page.content()
    assert receipt.display_number in html
    assert "매칭 완료" in html
    assert "1억 5,000만 원" in html  # 10 % of ₩1,500,000,000
    assert "입금 확인" in html
    page.screenshot(path=str(tmp_path / "dashboard-ko.png"), full_page=True)

    page.get_by_role("link", name=receipt.display_number).click()
    page.wait_for_url(f"{live_server.url}/portal/receipts/{receipt.pk}/")
    assert page.get_by_role("heading", name="기부금 영수증").is_visible()
    assert page.get_by_text("124-81-00998").is_visible()
    assert page.get_by_text("1,500,000,000원").is_visible()
    page.screenshot(path=str(tmp_path / "receipt-ko.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()  # the print stylesheet leaves the receipt alone
    page.screenshot(path=str(tmp_path / "receipt-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1  # one A4 sheet


def test_a_member_of_another_company_can_neither_see_nor_reach_it(
        live_server, page, submit, fund_admin, member_b):
    contribution = contribution_confirm(actor=fund_admin, contribution=submit())
    receipt = contribution.receipt

    sign_in(page, live_server, "member_b")
    html = page.content()
    assert "새싹정밀" in html
    assert "한빛전자" not in html and receipt.display_number not in html

    response = page.goto(f"{live_server.url}/portal/contributions/{contribution.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/portal/receipts/{receipt.pk}/")
    assert response.status == 404
