"""The portal's performance-sharing pages and grades: a company's own records and published grades, forms with
field errors, CSRF and one record per submission, and nobody reaching another company's (404 on URL guessing)."""

import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.evaluations import services
from apps.evaluations.models import RecordStatus, SharingRecord

from .conftest import YEAR, sgi_input

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(org_a, org_b, **overrides) -> dict:
    return {"principal": org_a.pk, "project": "협력사 스마트공장", "transaction_type": "subcontracting",
            "goal": "생산성 20 % 향상", "contract_date": "2025-05-02", "sharing_method": "joint_ip",
            "amount": "150,000,000", "evidence_description": "공동특허 출원서", "tier1": [org_b.pk],
            "idempotency_key": str(uuid.uuid4()), **overrides}


@pytest.mark.parametrize("name", ["records", "record_new", "grades", "record", "record_edit", "evidence"])
def test_anonymous_visitors_are_sent_to_sign_in(client, record, name):
    args = [record().pk] if name in ("record", "record_edit", "evidence") else []
    answer = client.get(reverse(f"evaluations:{name}", args=args))
    assert answer.status_code == 302 and reverse("portal:login") in answer["Location"]


def test_a_finance_officer_registers_a_record_once_however_often_the_form_is_sent(member_a, org_a, org_b):
    client = signed_in(member_a)
    assert client.get(reverse("evaluations:record_new")).status_code == 200
    data = form(org_a, org_b)
    first = client.post(reverse("evaluations:record_new"), data)
    again = client.post(reverse("evaluations:record_new"), data)
    record = SharingRecord.objects.get()
    assert first["Location"] == again["Location"] == reverse("evaluations:record", args=[record.pk])
    assert (record.amount, record.sharing_method, record.created_by_label) == (150_000_000, "joint_ip", "member_a")
    page = client.get(first["Location"])
    assert "협력사 스마트공장" in page.text and org_b.name_ko in page.text


def test_the_form_shows_each_error_beside_its_field(member_a, org_a, org_b):
    answer = signed_in(member_a).post(reverse("evaluations:record_new"), form(
        org_a, org_b, amount="12.5", tier1=[], project="", contract_date="2999-01-01"))
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert set(errors) >= {"amount", "tier1", "project", "contract_date"}
    assert not SharingRecord.objects.exists()


def test_a_partner_in_two_tiers_is_refused(member_a, org_a, org_b):
    answer = signed_in(member_a).post(reverse("evaluations:record_new"), form(org_a, org_b, tier2=[org_b.pk]))
    assert answer.status_code == 400 and "tier2" in answer.context["form"].errors


def test_the_form_needs_its_csrf_token(member_a, org_a, org_b):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_a)
    assert client.post(reverse("evaluations:record_new"), form(org_a, org_b)).status_code == 403
    assert not SharingRecord.objects.exists()


def test_viewers_auditors_and_outsiders_cannot_register(viewer_a, outsider, auditor, org_a, org_b):
    for who in (viewer_a, outsider, auditor):
        assert signed_in(who).post(reverse("evaluations:record_new"), form(org_a, org_b)).status_code == 404
        assert signed_in(who).get(reverse("evaluations:record_new")).status_code == 404
    assert not SharingRecord.objects.exists()


def test_an_auditor_reads_every_record_but_edits_none(record, auditor):
    made = record()
    client = signed_in(auditor)
    assert client.get(reverse("evaluations:record", args=[made.pk])).status_code == 200
    assert client.get(reverse("evaluations:record_edit", args=[made.pk])).status_code == 403


def test_a_record_is_edited_before_confirmation_only(record, member_a, fund_admin, org_a, org_b):
    made = record()
    client = signed_in(member_a)
    edit = reverse("evaluations:record_edit", args=[made.pk])
    page = client.get(edit)
    assert page.status_code == 200 and page.context["form"]["amount"].value() == 1_000_000_000
    saved = client.post(edit, form(org_a, org_b, amount="2,000,000,000", version=1, contract_date="2025-03-02"))
    assert saved.status_code == 302
    made.refresh_from_db()
    assert (made.amount, made.version) == (2_000_000_000, 2)
    stale = client.post(edit, form(org_a, org_b, amount="3", version=1, contract_date="2025-03-02"))
    assert stale.status_code == 409
    services.record_confirm(actor=fund_admin, record=made)
    assert client.get(edit)["Location"] == reverse("evaluations:record", args=[made.pk])
    made.refresh_from_db()
    assert (made.amount, made.status) == (2_000_000_000, RecordStatus.CONFIRMED)


def test_a_viewer_reads_but_does_not_edit(record, viewer_a):
    made = record()
    client = signed_in(viewer_a)
    assert client.get(reverse("evaluations:record", args=[made.pk])).status_code == 200
    assert client.get(reverse("evaluations:record_edit", args=[made.pk])).status_code == 403


def test_another_companys_records_answer_404(record, member_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = record(evidence_file=SimpleUploadedFile("a.pdf", b"%PDF"))
    client = signed_in(member_b)
    for name in ("record", "record_edit", "evidence"):
        assert client.get(reverse(f"evaluations:{name}", args=[made.pk])).status_code == 404
    assert made.project not in client.get(reverse("evaluations:records")).text


def test_the_evidence_file_is_downloaded_by_its_company_and_the_fund(record, member_a, auditor, settings,
                                                                     tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = record(evidence_file=SimpleUploadedFile("증빙.pdf", b"%PDF-1.7"))
    for who in (member_a, auditor):
        answer = signed_in(who).get(reverse("evaluations:evidence", args=[made.pk]))
        assert answer.status_code == 200 and b"".join(answer.streaming_content) == b"%PDF-1.7"
        assert answer["Content-Type"] == "application/octet-stream"


def test_a_company_sees_its_own_published_grade_and_honour_not_others(member_a, org_a, org_c):
    for year in (YEAR - 2, YEAR - 1, YEAR):
        sgi_input(org_a, year, survey="80", performance="20", fair_trade="100")
        sgi_input(org_c, year, survey="40", performance="10", fair_trade="50")
        services.evaluation_recompute(actor="test", kind="sgi", year=year)
    services.evaluation_publish(actor="test", kind="sgi", year=YEAR)
    page = signed_in(member_a).get(reverse("evaluations:grades"))
    rows = list(page.context["results"])
    assert [(r.organization_id, r.year, r.grade, r.honour) for r in rows] == [(org_a.pk, YEAR, "excellent", True)]
    assert org_c.name_ko not in page.text and "100.000" not in page.text


def test_the_records_page_lists_the_companys_records(record, member_a):
    record(project="딜러 인센티브 공유", transaction_type="dealership", contract_date=date(YEAR, 6, 1))
    page = signed_in(member_a).get(reverse("evaluations:records"))
    assert page.status_code == 200 and "딜러 인센티브 공유" in page.text
    assert "성과공유 기록" in page.text and "대리점" in page.text  # Korean first
    assert reverse("evaluations:records") in signed_in(member_a).get(reverse("portal:dashboard")).text
