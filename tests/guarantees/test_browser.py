"""The pool's pages in a real browser (Debian's Chromium through Playwright), in Korean: a finance officer follows
the portal's link to the win-win finance pool, earmarks a contribution for its KODIT program, and finds it listed;
a member of another company cannot reach the program."""

import pytest

from apps.guarantees.models import Earmark

from .conftest import confirm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR", "viewport": {"width": 1280, "height": 900}}


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/portal/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/portal/")


def test_an_officer_earmarks_a_contribution_in_the_browser(live_server, page, member_a, member_b, program, wwfp,
                                                            org_a):
    contribution = confirm(wwfp, org_a, 250_000_000)
    sign_in(page, live_server, "member_a")

    page.get_by_role("link", name="상생금융", exact=True).first.click()
    page.get_by_role("link", name="출연금 보증 지정").click()
    page.select_option("#id_contribution", value=str(contribution.pk))
    page.select_option("#id_program", value=str(program.pk))
    page.get_by_role("button", name="지정").click()
    page.wait_for_url(live_server.url + "/portal/guarantees/")

    assert "출연금을 보증 프로그램에 지정했습니다." in page.content()
    assert "2억 5,000만 원" in page.locator("#earmarks + table").inner_text()
    assert Earmark.objects.get().contribution == contribution

    page.context.clear_cookies()
    sign_in(page, live_server, "member_b")
    response = page.goto(live_server.url + f"/portal/guarantees/programs/{program.pk}/")
    assert response.status == 404
