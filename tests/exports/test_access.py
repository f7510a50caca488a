"""Who may export: auditors and fund administrators, on every page and endpoint. Signed-out visitors are sent to
sign in (pages) or refused (API); a company member gets 403 everywhere; another auditor's job answers 404."""

import pytest
from django.urls import reverse

from apps.exports.models import ExportJob, JobStatus

from .conftest import read_csv

pytestmark = pytest.mark.django_db

BODY = {"kind": "journal", "format": "csv", "fund": "wwcf", "date_from": "2026-01-01", "date_to": "2026-12-31"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def job(books, auditor, django_capture_on_commit_callbacks):
    from apps.exports import services

    with django_capture_on_commit_callbacks(execute=True):
        made = services.export_job_create(actor=auditor, **{**BODY, "date_from": "2026-01-01"})
    made.refresh_from_db()
    return made


def page_urls(job):
    return [reverse("exports:index"), reverse("exports:job_status", args=[job.pk]),
            reverse("exports:job_download", args=[job.pk])]


def api_urls(job):
    return ["/api/v1/exports/jobs/", f"/api/v1/exports/jobs/{job.pk}/", f"/api/v1/exports/jobs/{job.pk}/download/"]


def test_signed_out_visitors_are_sent_to_sign_in_and_refused_by_the_api(client, api, job):
    for url in page_urls(job):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/portal/login/")
    for url in api_urls(job):
        assert api.get(url).status_code in (401, 403)
    assert api.post("/api/v1/exports/jobs/", BODY, format="json").status_code in (401, 403)


@pytest.mark.parametrize("person", ["member_a", "outsider"])
def test_company_members_and_other_users_are_refused_everywhere(client, api_as, job, person, request):
    user = request.getfixturevalue(person)
    client.force_login(user)
    for url in page_urls(job):
        assert client.get(url).status_code == 403
    assert client.post(reverse("exports:index"), BODY).status_code == 403
    api = api_as(user)
    for url in api_urls(job):
        assert api.get(url).status_code == 403
    assert api.post("/api/v1/exports/jobs/", BODY, format="json").status_code == 403
    assert ExportJob.objects.count() == 1


@pytest.mark.parametrize("person", ["auditor", "fund_admin"])
def test_auditors_and_fund_administrators_export_from_the_page_at_once(client, books, person, request):
    client.force_login(request.getfixturevalue(person))
    page = client.get(reverse("exports:index"))
    assert page.status_code == 200 and "원장 내보내기" in page.content.decode()
    response = client.post(reverse("exports:index"), BODY)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="wwcf-journal-2026-01-01-2026-12-31.csv"'
    _, rows, control, _ = read_csv(b"".join(response.streaming_content))
    assert len(rows) == 6 and control["total_debit"] == "8500000"
    assert not ExportJob.objects.exists()  # small: no job


def test_a_large_export_from_the_page_becomes_a_job_with_a_progress_bar(client, books, auditor, monkeypatch,
                                                                        django_capture_on_commit_callbacks):
    from apps.exports import views

    monkeypatch.setattr(views, "DIRECT_LIMIT", 1)
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:index"), {**BODY, "idempotency_key": "form-1"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#job-{job.pk}")
    html = client.get(reverse("exports:index")).content.decode()
    assert f'id="job-{job.pk}"' in html and "<progress" in html
    status = client.get(reverse("exports:job_status", args=[job.pk])).json()
    assert (status["status"], status["progress"]) == (JobStatus.DONE, 100)
    download = client.get(status["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\xef\xbb\xbf")


def test_a_bad_request_on_the_page_names_the_field(client, books, auditor):
    client.force_login(auditor)
    response = client.post(reverse("exports:index"), {**BODY, "date_to": "2025-01-01"})
    assert response.status_code == 200
    assert "종료일이 시작일보다 앞섭니다." in response.content.decode()


def test_the_api_queues_a_job_once_per_key_and_serves_its_status_and_file(api_as, books, auditor,
                                                                          django_capture_on_commit_callbacks):
    api = api_as(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post("/api/v1/exports/jobs/", {**BODY, "kind": "saft", "format": "xml"}, format="json",
                           headers={"Idempotency-Key": "api-1"})
    assert created.status_code == 201
    again = api.post("/api/v1/exports/jobs/", {**BODY, "kind": "saft", "format": "xml"}, format="json",
                     headers={"Idempotency-Key": "api-1"})
    assert again.json()["id"] == created.json()["id"] and ExportJob.objects.count() == 1
    status = api.get(f"/api/v1/exports/jobs/{created.json()['id']}/").json()
    assert status["status"] == "done" and status["control"]["total_debit"] == 8_500_000
    download = api.get(status["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"<?xml")


def test_the_api_names_the_field_of_a_bad_request(api_as, books, fund_admin):
    response = api_as(fund_admin).post("/api/v1/exports/jobs/", {**BODY, "format": "xml"}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "format"


def test_another_auditors_job_is_not_found_but_a_fund_administrator_sees_it(api_as, client, job, fund_admin,
                                                                            django_user_model):
    from django.contrib.auth.models import Group

    from apps.core.roles import AUDITORS

    other = django_user_model.objects.create_user(username="auditor2", password="pw")
    other.groups.add(Group.objects.get_or_create(name=AUDITORS)[0])
    assert api_as(other).get(f"/api/v1/exports/jobs/{job.pk}/").status_code == 404
    client.force_login(other)
    assert client.get(reverse("exports:job_status", args=[job.pk])).status_code == 404
    assert api_as(fund_admin).get(f"/api/v1/exports/jobs/{job.pk}/").status_code == 200


def test_a_job_not_done_cannot_be_downloaded(api_as, job):
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    response = api_as(job.requested_by).get(f"/api/v1/exports/jobs/{job.pk}/download/")
    assert response.status_code == 409
