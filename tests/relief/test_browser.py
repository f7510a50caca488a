"""The relief pages in a real browser (Debian's Chromium through Playwright), in Korean: a harmed company's
officer files a claim with a PDF, a fund administrator approves it with the back office's form and pays it, the
officer sees it paid and downloads the document; a member of another company reaches neither."""

import pytest

from apps.relief.models import Claim, ClaimStatus

from .conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = None  # a directory to save screenshots into while working on the pages


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR", "viewport": {"width": 1280, "height": 900}}


def sign_in(page, live_server, username, start="/portal/relief/"):
    page.context.clear_cookies()
    page.goto(live_server.url + start)
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_claim_is_filed_approved_and_paid_in_the_browser(live_server, page, funded, member_b, member_a, org_b,
                                                           fund_admin, tmp_path):
    evidence = tmp_path / "증빙.pdf"
    evidence.write_bytes(PDF)
    sign_in(page, live_server, "member_b")
    shot(page, "0-index")
    page.get_by_role("link", name="피해구제 신청").first.click()
    page.fill("#id_case_reference", funded.case_reference)
    page.fill("#id_amount_claimed", "300,000,000")
    page.fill("#id_description", "기술자료 유출로 납품이 중단되었습니다")
    page.set_input_files("#id_documents", str(evidence))
    shot(page, "1-form")
    page.get_by_role("button", name="신청하기").click()
    page.wait_for_load_state()
    claim = Claim.objects.get()
    assert page.url.endswith(f"/portal/relief/claims/{claim.pk}/")
    assert "심사 중" in page.content() and "증빙.pdf" in page.content()
    shot(page, "2-claim")

    sign_in(page, live_server, "admin1", start=f"/admin/relief/claim/{claim.pk}/change/")
    assert "1,000,000,000" in page.content()  # the fund's available cash
    shot(page, "3-admin-claim")
    page.goto(live_server.url + f"/admin/relief/claim/{claim.pk}/approve/")
    page.fill("#id_amount", "250,000,000")
    shot(page, "4-approve")
    page.get_by_role("button", name="확인").click()
    page.wait_for_load_state()
    page.goto(live_server.url + f"/admin/relief/claim/{claim.pk}/pay/")
    page.get_by_role("button", name="확인").click()
    page.wait_for_load_state()
    shot(page, "5-paid")
    assert Claim.objects.get().status == ClaimStatus.PAID

    sign_in(page, live_server, "member_b", start=f"/portal/relief/claims/{claim.pk}/")
    assert "지급" in page.content() and "250,000,000" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="증빙.pdf").click()
    assert download.value.suggested_filename == "증빙.pdf"

    sign_in(page, live_server, "member_a", start=f"/portal/relief/claims/{claim.pk}/")
    assert page.goto(live_server.url + f"/portal/relief/claims/{claim.pk}/").status == 404
