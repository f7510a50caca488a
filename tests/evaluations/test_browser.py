"""Performance sharing in a real browser (Debian's Chromium through Playwright), in Korean: a finance officer
registers a record with a tier-1 partner and an evidence file, a double click registers it once, and a member of
another company cannot reach it."""

import re

import pytest

from apps.evaluations.models import SharingRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR", "viewport": {"width": 1280, "height": 900}}


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/portal/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/portal/")


def test_an_officer_registers_a_record_once_and_another_company_cannot_see_it(live_server, page, member_a, member_b,
                                                                              org_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evidence = tmp_path / "정산서.pdf"
    evidence.write_bytes(b"%PDF-1.4 demo")
    sign_in(page, live_server, "member_a")
    page.get_by_role("link", name="성과공유").first.click()
    page.get_by_role("link", name="기록 등록").first.click()
    page.fill("#id_project", "협력사 공정 자동화")
    page.select_option("#id_transaction_type", label="하도급")
    page.fill("#id_goal", "불량률 20 % 절감")
    page.fill("#id_contract_date", "2026-03-02")
    page.select_option("#id_sharing_method", label="공동 지식재산권")
    page.fill("#id_amount", "250,000,000")
    page.fill("#id_evidence_description", "공동특허 출원서")
    page.set_input_files("#id_evidence_file", str(evidence))
    page.locator(f"input[name=tier1][value='{org_b.pk}']").check()
    page.locator("button[data-once]").dblclick()
    page.wait_for_url(re.compile(r".*/portal/evaluations/records/\d+/$"))
    assert "협력사 공정 자동화" in page.content() and "2억 5,000만 원" in page.content()
    record = SharingRecord.objects.get()
    assert (record.amount, record.sharing_method) == (250_000_000, "joint_ip")
    record_url = page.url

    page.context.clear_cookies()
    sign_in(page, live_server, "member_b")
    response = page.goto(record_url)
    assert response.status == 404
