"""The dashboards in a real browser, in Korean: the administrators' home in the back office (with its charts drawn
by the Chart.js unfold ships, no network) and a contributor's figures on the portal; screenshots go to
var/screenshots/."""

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = settings.BASE_DIR / "var" / "screenshots"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR", "viewport": {"width": 1400, "height": 1000}}


def test_a_fund_administrator_opens_the_back_office_home(live_server, page, books, fund_admin):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "admin1")
    page.fill("#id_password", "pw-admin1")
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.get_by_text("기금 현황").is_visible()
    panels = page.locator("#fund-panels")
    assert panels.get_by_text("상생협력기금").first.is_visible()
    assert panels.get_by_text("정부매칭 잔여 예산 (2026)").first.is_visible()
    assert page.get_by_text("최근 분개").is_visible()
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length >= 4")
    page.screenshot(path=str(SHOTS / "admin-dashboard-ko.png"), full_page=True)


def test_a_finance_officer_sees_its_figures_on_the_portal(live_server, page, books, member_a):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/portal/login/")
    page.fill("#id_username", "member_a")
    page.fill("#id_password", "pw-member_a")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/portal/")
    figures = page.locator(".contributor-figures")
    assert figures.get_by_text("연도별 출연 현황").is_visible()
    assert figures.locator("svg rect").count() == 3  # two funds stacked, and the matching beside them
    assert figures.locator(".legend").get_by_text("정부매칭").is_visible()
    assert figures.get_by_text("6,000만 원").is_visible()
    page.screenshot(path=str(SHOTS / "portal-contributor-figures-ko.png"), full_page=True)
