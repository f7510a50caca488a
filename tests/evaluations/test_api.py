"""The evaluations API: who reads and writes what (anonymous, another company, an auditor, a fund administrator),
companies seeing only their own published grades, and the recompute, publish and reopen commands."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.evaluations import services
from apps.evaluations.models import EvaluationResult, EvaluationRun, RecordStatus, RunStatus, SharingRecord

from .conftest import YEAR, sgi_input

pytestmark = pytest.mark.django_db
RECORDS = "/api/v1/evaluations/records/"
RESULTS = "/api/v1/evaluations/results/"


def body(org_b, **overrides) -> dict:
    return {"principal": overrides.pop("principal", None), "project": "플랫폼 입점사 수수료 환급",
            "transaction_type": "platform", "goal": "입점 중소기업 매출 20 % 증대", "contract_date": "2025-04-01",
            "sharing_method": "revenue_share", "amount": 300_000_000, "evidence_description": "정산 내역서",
            "partners": [{"organization": org_b.pk, "tier": 1}], **overrides}


@pytest.mark.parametrize("url", [RECORDS, RESULTS, "/api/v1/evaluations/runs/", "/api/v1/evaluations/years/"])
def test_anonymous_callers_are_refused(api, url):
    assert api.get(url).status_code in (401, 403)
    assert api.post("/api/v1/evaluations/recompute/", {"kind": "sgi", "year": YEAR}).status_code in (401, 403)


def test_a_finance_officer_registers_a_record_once_per_key(api_as, member_a, org_a, org_b):
    client = api_as(member_a)
    created = client.post(RECORDS, body(org_b, principal=org_a.pk), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == RecordStatus.SUBMITTED
    assert created.json()["partners"] == [{"organization": org_b.pk, "name": org_b.name_ko, "tier": 1}]
    replay = client.post(RECORDS, body(org_b, principal=org_a.pk), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert (replay.status_code, replay.json()["id"]) == (200, created.json()["id"])
    conflict = client.post(RECORDS, body(org_b, principal=org_a.pk, amount=5), format="json",
                           HTTP_IDEMPOTENCY_KEY="k1")
    assert conflict.status_code == 409
    assert SharingRecord.objects.count() == 1


def test_bad_input_answers_400_naming_the_field(api_as, member_a, org_a, org_b):
    client = api_as(member_a)
    missing_key = client.post(RECORDS, body(org_b, principal=org_a.pk), format="json")
    assert (missing_key.status_code, missing_key.json()["field"]) == (400, "idempotency_key")
    for overrides, field in (({"amount": 0}, "amount"), ({"partners": []}, "partners"),
                             ({"sharing_method": "gift"}, "sharing_method"),
                             ({"partners": [{"organization": org_a.pk, "tier": 1}]}, "partners")):
        answer = client.post(RECORDS, body(org_b, principal=org_a.pk, **overrides), format="json",
                             HTTP_IDEMPOTENCY_KEY=f"bad-{field}-{overrides}")
        assert (answer.status_code, answer.json()["field"]) == (400, field), answer.content


def test_another_company_cannot_register_for_a_principal_it_does_not_belong_to(api_as, member_b, org_a, org_b):
    answer = api_as(member_b).post(RECORDS, body(org_b, principal=org_a.pk, partners=[]) | {
        "partners": [{"organization": org_b.pk, "tier": 1}]}, format="json", HTTP_IDEMPOTENCY_KEY="x")
    assert answer.status_code == 403


def test_another_companys_record_answers_404(api_as, record, member_b):
    made = record()
    client = api_as(member_b)
    assert client.get(RECORDS).json()["count"] == 0
    assert client.get(f"{RECORDS}{made.pk}/").status_code == 404
    assert client.patch(f"{RECORDS}{made.pk}/", {"amount": 1}, format="json").status_code == 404
    assert client.get(f"{RECORDS}{made.pk}/evidence/").status_code == 404


def test_the_principal_edits_with_its_version_until_confirmation(api_as, record, member_a, fund_admin):
    made = record()
    client = api_as(member_a)
    changed = client.patch(f"{RECORDS}{made.pk}/", {"amount": 400_000_000, "version": 1}, format="json")
    assert (changed.status_code, changed.json()["amount"], changed.json()["version"]) == (200, 400_000_000, 2)
    stale = client.patch(f"{RECORDS}{made.pk}/", {"amount": 1, "version": 1}, format="json")
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_record")
    assert client.post(f"{RECORDS}{made.pk}/confirm/").status_code == 403
    confirmed = api_as(fund_admin).post(f"{RECORDS}{made.pk}/confirm/")
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, RecordStatus.CONFIRMED)
    assert api_as(member_a).patch(f"{RECORDS}{made.pk}/", {"amount": 1}, format="json").status_code == 409


def test_auditors_read_every_record_and_change_nothing(api_as, record, auditor, org_a, org_b):
    made = record()
    client = api_as(auditor)
    assert client.get(f"{RECORDS}{made.pk}/").status_code == 200
    assert client.post(f"{RECORDS}{made.pk}/confirm/").status_code == 403
    assert client.post(f"{RECORDS}{made.pk}/reject/", {"reason": "x"}).status_code == 403
    assert client.patch(f"{RECORDS}{made.pk}/", {"amount": 1}, format="json").status_code == 403
    assert client.post(RECORDS, body(org_b, principal=org_a.pk), format="json",
                       HTTP_IDEMPOTENCY_KEY="a").status_code == 403
    assert client.post("/api/v1/evaluations/recompute/", {"kind": "sgi", "year": YEAR}).status_code == 403
    assert client.post("/api/v1/evaluations/publish/", {"kind": "sgi", "year": YEAR}).status_code == 403
    made.refresh_from_db()
    assert made.status == RecordStatus.SUBMITTED


def test_an_administrator_rejects_with_a_reason(api_as, record, fund_admin):
    made = record()
    client = api_as(fund_admin)
    assert client.post(f"{RECORDS}{made.pk}/reject/", {}).json()["field"] == "reason"
    rejected = client.post(f"{RECORDS}{made.pk}/reject/", {"reason": "증빙 불충분"})
    assert (rejected.status_code, rejected.json()["status"]) == (200, RecordStatus.REJECTED)


def test_evidence_is_uploaded_and_downloaded_only_through_the_record(api_as, record, member_a, member_b,
                                                                     auditor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = record()
    client = api_as(member_a)
    upload = SimpleUploadedFile("정산서.pdf", b"%PDF evidence", content_type="application/pdf")
    attached = client.post(f"{RECORDS}{made.pk}/evidence/", {"file": upload}, format="multipart")
    assert attached.status_code == 200 and attached.json()["evidence_name"] == "정산서.pdf"
    for who in (member_a, auditor):
        download = api_as(who).get(attached.json()["evidence_url"])
        assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF evidence"
        assert download["Content-Disposition"].startswith("attachment")
    assert api_as(member_b).get(f"{RECORDS}{made.pk}/evidence/").status_code == 404


@pytest.fixture
def published(org_a, org_b, org_c):
    sgi_input(org_a, survey="80", performance="20", fair_trade="100")
    sgi_input(org_c, survey="50", performance="10", fair_trade="60")
    services.evaluation_recompute(actor="test", kind="sgi", year=YEAR)
    services.evaluation_publish(actor="test", kind="sgi", year=YEAR)
    sgi_input(org_a, YEAR + 1)
    services.evaluation_recompute(actor="test", kind="sgi", year=YEAR + 1)  # not published
    return EvaluationResult.objects.get(organization=org_a, year=YEAR)


def test_a_company_sees_only_its_own_published_grades_without_scores(api_as, published, member_a, org_c):
    rows = api_as(member_a).get(RESULTS).json()["results"]
    assert rows == [{"id": published.pk, "organization": published.organization_id,
                     "organization_name": published.organization.name_ko, "year": YEAR, "kind": "sgi",
                     "grade": "excellent", "deferred": False, "honour": False}]
    other = EvaluationResult.objects.get(organization=org_c)
    assert api_as(member_a).get(f"{RESULTS}{other.pk}/").status_code == 404
    unpublished = EvaluationResult.objects.get(organization=published.organization, year=YEAR + 1)
    assert api_as(member_a).get(f"{RESULTS}{unpublished.pk}/").status_code == 404


def test_administrators_and_auditors_see_every_score_with_filters(api_as, published, fund_admin, auditor):
    for who in (fund_admin, auditor):
        client = api_as(who)
        assert client.get(RESULTS).json()["count"] == 3
        excellent = client.get(RESULTS, {"year": YEAR, "kind": "sgi", "grade": "excellent"}).json()["results"]
        assert [(r["organization"], r["score"]) for r in excellent] == [(published.organization_id, "100.000")]
        assert "inputs" in excellent[0] and "rules" in excellent[0]
    assert api_as(fund_admin).get(RESULTS, {"year": "x"}).status_code == 400


def test_members_may_not_see_runs_nor_recompute(api_as, member_a):
    client = api_as(member_a)
    assert client.get("/api/v1/evaluations/runs/").status_code == 403
    assert client.post("/api/v1/evaluations/recompute/", {"kind": "sgi", "year": YEAR}).status_code == 403


def test_an_administrator_recomputes_publishes_and_reopens(api_as, fund_admin, org_a,
                                                           django_capture_on_commit_callbacks):
    sgi_input(org_a)
    client = api_as(fund_admin)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/api/v1/evaluations/recompute/", {"kind": "sgi", "year": YEAR}, format="json")
    assert queued.status_code == 202
    assert EvaluationRun.objects.get(pk=queued.json()["id"]).status == RunStatus.DONE
    assert client.get(f"/api/v1/evaluations/runs/{queued.json()['id']}/").json()["done"] == 1
    assert client.post("/api/v1/evaluations/publish/", {"kind": "sgi", "year": YEAR}).json()["status"] == "published"
    refused = client.post("/api/v1/evaluations/recompute/", {"kind": "sgi", "year": YEAR})
    assert (refused.status_code, refused.json()["code"]) == (409, "year_published")
    assert client.post("/api/v1/evaluations/reopen/", {"kind": "sgi", "year": YEAR}).json()["status"] == "open"
    bad = client.post("/api/v1/evaluations/recompute/", {"kind": "nope", "year": YEAR})
    assert (bad.status_code, bad.json()["field"]) == (400, "kind")


def test_recompute_without_a_rule_in_force_is_refused(api_as, fund_admin):
    answer = api_as(fund_admin).post("/api/v1/evaluations/recompute/", {"kind": "wfi", "year": 2024})
    assert (answer.status_code, answer.json()["code"]) == (409, "no_rule")


def test_the_records_filter_by_year_and_status(api_as, record, fund_admin):
    record(contract_date=date(YEAR, 1, 5))
    record(contract_date=date(YEAR - 1, 1, 5))
    client = api_as(fund_admin)
    assert client.get(RECORDS, {"year": YEAR}).json()["count"] == 1
    assert client.get(RECORDS, {"status": "confirmed"}).json()["count"] == 0
