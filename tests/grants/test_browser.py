"""The grants pages in a real browser (Debian's Chromium through Playwright), in Korean: the lead's finance officer
finds the page through the portal's navigation, proposes a project with a double click, and lands on the one
project it made."""

import re

import pytest

from apps.grants.models import ExpansionProject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR", "viewport": {"width": 1280, "height": 1000}}


def test_an_officer_proposes_a_project_with_a_double_click(live_server, page, cash, org_a, org_b, member_a):
    page.goto(live_server.url + "/portal/login/")
    page.fill("#id_username", "member_a")
    page.fill("#id_password", "pw-member_a")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/portal/")

    page.get_by_role("link", name="대·중소기업 동반진출").first.click()
    page.get_by_role("link", name="사업 신청").click()
    page.fill("#id_title", "미국 배터리 소재 동반진출")
    page.select_option("#id_country", "US")
    page.fill("#id_total_cost", "12,000,000,000")
    page.fill("#id_start_date", "2026-04-01")
    page.fill("#id_end_date", "2028-03-31")
    page.locator(f"input[name=participants][value='{org_b.pk}']").check()
    page.locator("button[data-once]").dblclick()
    page.wait_for_url(re.compile(r".*/portal/grants/projects/\d+/$"))

    project = ExpansionProject.objects.get()
    assert page.url.endswith(f"/portal/grants/projects/{project.pk}/")
    assert "120억 원" in page.content() and "새싹정밀" in page.content()
