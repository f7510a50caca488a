"""Performance-sharing records: registered by the principal company's finance officer, with partners in tiers and
evidence; changed until an administrator confirms them; every change in the history; one record per submission."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.evaluations import services
from apps.evaluations.exceptions import (
    EvaluationError,
    IdempotencyConflict,
    NotAllowed,
    RecordNotEditable,
    StaleRecord,
)
from apps.evaluations.models import RecordAction, RecordStatus, SharingRecord
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_finance_officer_registers_a_record_with_tiered_partners(record, member_a, org_b):
    tier2 = OrganizationFactory(size_class="sme")
    made = record(actor=member_a, partners=[(org_b, 1), (tier2, 2)], transaction_type="platform")
    assert made.status == RecordStatus.SUBMITTED and made.registration_date == timezone.localdate()
    assert sorted((p.organization_id, p.tier) for p in made.partners.all()) == [(org_b.pk, 1), (tier2.pk, 2)]
    assert [(e.action, e.actor) for e in made.events.all()] == [(RecordAction.SUBMITTED, member_a)]


@pytest.mark.parametrize("who", ["member_b", "viewer_a", "auditor"])
def test_only_the_principals_finance_officers_and_administrators_register_its_records(record, who, request):
    with pytest.raises(NotAllowed):
        record(actor=request.getfixturevalue(who))
    assert not SharingRecord.objects.exists()


@pytest.mark.parametrize(("overrides", "field"), [
    ({"amount": 0}, "amount"),
    ({"project": " "}, "project"),
    ({"sharing_method": "gift"}, "sharing_method"),
    ({"transaction_type": "barter"}, "transaction_type"),
    ({"contract_date": timezone.localdate() + timedelta(days=2)}, "contract_date"),
    ({"evidence_description": ""}, "evidence_description"),
    ({"partners": []}, "partners"),
])
def test_an_invalid_record_is_refused_naming_the_field(record, overrides, field):
    with pytest.raises(EvaluationError) as refused:
        record(**overrides)
    assert refused.value.field == field
    assert not SharingRecord.objects.exists()


def test_a_partner_is_not_the_principal_nor_named_twice(record, org_a, org_b):
    for partners in ([(org_a, 1)], [(org_b, 1), (org_b, 2)], [(org_b, 4)]):
        with pytest.raises(EvaluationError) as refused:
            record(partners=partners)
        assert refused.value.field == "partners"
    assert not SharingRecord.objects.exists()


def test_the_same_submission_key_registers_one_record(record):
    first = record(idempotency_key="k-1")
    again = record(idempotency_key="k-1")
    assert again.pk == first.pk and again.is_replay
    with pytest.raises(IdempotencyConflict):
        record(idempotency_key="k-1", amount=5)
    assert SharingRecord.objects.count() == 1


def test_a_record_changes_until_it_is_confirmed_and_never_after(record, member_a, fund_admin):
    made = record(actor=member_a)
    changed = services.record_update(actor=member_a, record=made, expected_version=1, amount=2_000_000_000,
                                     outcome="불량률 35 % 절감")
    assert (changed.amount, changed.version) == (2_000_000_000, 2)
    services.record_confirm(actor=fund_admin, record=made)
    with pytest.raises(RecordNotEditable):
        services.record_update(actor=member_a, record=made, amount=1)
    made.refresh_from_db()
    assert made.amount == 2_000_000_000
    assert [e.action for e in made.events.all()] == [RecordAction.SUBMITTED, RecordAction.EDITED,
                                                     RecordAction.CONFIRMED]


def test_an_edit_from_a_stale_copy_is_refused(record, member_a):
    made = record(actor=member_a)
    services.record_update(actor=member_a, record=made, expected_version=1, amount=7)
    with pytest.raises(StaleRecord):
        services.record_update(actor=member_a, record=made, expected_version=1, amount=9)
    made.refresh_from_db()
    assert made.amount == 7


def test_another_company_cannot_change_a_record(record, member_b):
    with pytest.raises(NotAllowed):
        services.record_update(actor=member_b, record=record(), amount=1)


def test_confirmation_is_for_administrators_once_with_its_date(record, member_a, auditor, fund_admin):
    made = record(actor=member_a)
    for who in (member_a, auditor):
        with pytest.raises(NotAllowed):
            services.record_confirm(actor=who, record=made)
    first = services.record_confirm(actor=fund_admin, record=made)
    again = services.record_confirm(actor=fund_admin, record=made)
    assert (again.status, again.confirmed_at, again.confirmed_by_label) == (
        RecordStatus.CONFIRMED, first.confirmed_at, fund_admin.username)
    assert made.events.filter(action=RecordAction.CONFIRMED).count() == 1


def test_a_rejection_says_why_and_the_record_never_counts(record, fund_admin):
    made = record()
    with pytest.raises(EvaluationError):
        services.record_reject(actor=fund_admin, record=made, reason=" ")
    rejected = services.record_reject(actor=fund_admin, record=made, reason="증빙 불충분")
    assert (rejected.status, rejected.reason) == (RecordStatus.REJECTED, "증빙 불충분")
    with pytest.raises(RecordNotEditable):
        services.record_confirm(actor=fund_admin, record=made)


def test_evidence_files_are_kept_privately_under_random_names(record, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    made = record(evidence_file=SimpleUploadedFile("계약서 최종.pdf", b"%PDF-1.4 evidence"))
    assert made.evidence_name == "계약서 최종.pdf"
    assert made.evidence_file.name.startswith("private/evaluations/evidence/")
    assert made.evidence_file.name.endswith(".pdf") and "계약서" not in made.evidence_file.name
    assert (tmp_path / made.evidence_file.name).read_bytes() == b"%PDF-1.4 evidence"
    with pytest.raises(EvaluationError) as refused:
        record(evidence_file=SimpleUploadedFile("run.exe", b"MZ"))
    assert refused.value.field == "evidence_file"


def test_a_replaced_evidence_file_leaves_no_copy_behind(record, settings, tmp_path,
                                                       django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    made = record(evidence_file=SimpleUploadedFile("v1.pdf", b"one"))
    first = tmp_path / made.evidence_file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.record_update(actor="test", record=made, evidence_file=SimpleUploadedFile("v2.pdf", b"two"))
    made.refresh_from_db()
    assert not first.exists() and (tmp_path / made.evidence_file.name).read_bytes() == b"two"
    assert made.evidence_name == "v2.pdf"

