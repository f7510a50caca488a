"""The relief demo: sanctions in every payment status and claims in every review status, created once however
many times it runs."""

import pytest

from apps.core.demo import DemoContext, ensure_organizations
from apps.ledger.models import Hold, JournalEntry
from apps.relief import demo
from apps.relief.models import Claim, ClaimDocument, ClaimEvent, ClaimStatus, FinePayment, PaymentStatus, Sanction
from apps.relief.selectors import fund_cash

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(funds, fund_admin):
    return DemoContext(actor=fund_admin, users={}, organizations=ensure_organizations(fund_admin), officers={},
                       books={})


def counts():
    return [model.objects.count() for model in (Sanction, FinePayment, Claim, ClaimEvent, ClaimDocument,
                                                JournalEntry, Hold)]


def test_the_demo_shows_every_status_and_runs_twice_without_doubling(context):
    demo.ensure_demo(context)
    first = counts()
    cash = fund_cash()

    demo.ensure_demo(context)

    assert counts() == first
    assert fund_cash() == cash
    statuses = set(Sanction.objects.with_amounts().values_list("payment_status", flat=True))
    assert statuses == {PaymentStatus.PAID, PaymentStatus.PARTLY_PAID, PaymentStatus.UNPAID, PaymentStatus.WAIVED,
                        PaymentStatus.NO_FINE}
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    assert ClaimDocument.objects.count() == Claim.objects.count()


def test_the_demo_documents_are_real_pdfs(context):
    demo.ensure_demo(context)
    document = ClaimDocument.objects.first()
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
