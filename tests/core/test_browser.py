"""The home page in a real browser (Debian's Chromium through Playwright), in Korean by default."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR"}


def test_home_page_reads_in_korean_and_switches_to_english(live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert "상생협력기금" in page.content()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
