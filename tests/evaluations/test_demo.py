"""The evaluations' demo: records of every transaction type, SGI 2024–2026 with honour and a deferral, a defence
company, the finance index of the financial institutions — computed and published; a second run adds nothing."""

import pytest

from apps.core.demo import DemoContext, ensure_members, ensure_organizations
from apps.evaluations.demo import ensure_demo
from apps.evaluations.models import (
    DefenceInput,
    EvaluationResult,
    EvaluationRun,
    EvaluationYear,
    Grade,
    IndexKind,
    RecordStatus,
    SgiInput,
    SharingRecord,
    SharingRecordEvent,
    YearStatus,
)
from apps.organizations.models import Organization, SizeClass

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_context(uses, fund_admin):
    organizations = ensure_organizations(fund_admin)
    officers = ensure_members(fund_admin, organizations)
    return DemoContext(actor=fund_admin, users={"fundadmin": fund_admin}, organizations=organizations,
                       officers=officers, books={})


def counts() -> tuple:
    return tuple(model.objects.count() for model in (
        SharingRecord, SharingRecordEvent, SgiInput, DefenceInput, EvaluationResult, EvaluationRun, EvaluationYear,
        Organization))


def test_the_demo_computes_and_publishes_every_index_and_a_second_run_adds_nothing(demo_context):
    ensure_demo(demo_context)
    first = counts()
    ensure_demo(demo_context)
    assert counts() == first

    organizations = demo_context.organizations
    assert set(SharingRecord.objects.values_list("transaction_type", flat=True)) == {
        "subcontracting", "platform", "distribution", "dealership"}
    assert set(SharingRecord.objects.values_list("status", flat=True)) == set(RecordStatus.values)
    samsung = EvaluationResult.objects.get(organization=organizations["samsung-electronics"], kind=IndexKind.SGI,
                                           year=2026)
    assert (samsung.grade, samsung.honour) == (Grade.EXCELLENT, True)
    assert EvaluationResult.objects.get(organization=organizations["lg-electronics"], year=2025).deferred
    assert EvaluationResult.objects.filter(organization=organizations["naver"], kind=IndexKind.SGI).count() == 3
    assert EvaluationResult.objects.filter(kind=IndexKind.WFI, year=2026).count() == Organization.objects.filter(
        size_class=SizeClass.FINANCIAL_INSTITUTION).count() >= 3
    defence = EvaluationResult.objects.filter(kind=IndexKind.DEFENCE)
    assert defence.count() == 3 and defence.first().organization.size_class == SizeClass.DEFENCE
    assert set(EvaluationYear.objects.values_list("status", flat=True)) == {YearStatus.PUBLISHED}
