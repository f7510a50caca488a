"""The export page in a real browser (Debian's Chromium), in Korean: a small export downloads at once from the
form; a job's progress bar follows it to 100 % and offers the download."""

import pytest

from apps.exports import services
from apps.exports.models import ExportJob

from .conftest import YEAR_FROM, YEAR_TO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ko-KR", "accept_downloads": True}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def sign_in(page, live_server, username):
    page.goto(live_server.url + "/auditor/exports/")
    assert page.url.startswith(live_server.url + "/portal/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/auditor/exports/")


def test_a_small_export_downloads_from_the_form(live_server, page, books, auditor, tmp_path):
    sign_in(page, live_server, "auditor1")
    page.select_option("#id_kind", label="시산표")
    page.select_option("#id_fund", value="wwcf")
    with page.expect_download() as download:
        page.get_by_role("button", name="내보내기").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "wwcf-trial-balance-2026-01-01-2026-12-31.csv"
    assert saved.read_bytes().startswith("\ufeff기금,계정코드".encode())


def test_the_progress_bar_follows_a_job_to_its_download(live_server, page, books, auditor, tmp_path):
    job = ExportJob.objects.create(requested_by=auditor, kind="saft", format="xml", date_from=YEAR_FROM,
                                   date_to=YEAR_TO)
    sign_in(page, live_server, "auditor1")
    row = page.locator(f"#job-{job.pk}")
    assert row.locator("progress").get_attribute("value") == "0"
    assert "대기 중" in row.inner_text()

    services.export_job_run(job_id=job.pk)  # the worker writes it while the page polls

    link = row.get_by_role("link", name="내려받기")
    link.wait_for(timeout=15_000)
    assert row.locator("progress").evaluate("bar => bar.value") == 100
    assert "완료 · 100% (8 / 8)" in row.inner_text()
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / "ledger.xml"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_the_form_offers_what_fits_the_chosen_export(live_server, page, books, auditor):
    sign_in(page, live_server, "auditor1")
    assert not page.locator("#id_account").is_visible()
    page.select_option("#id_kind", value="saft")
    assert page.locator("#id_format").input_value() == "xml"
    page.select_option("#id_kind", value="statement")
    assert page.locator("#id_format").input_value() == "csv"
    assert page.locator("#id_account").is_visible()
