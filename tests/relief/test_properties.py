"""Whatever payments are attempted against a fine, in whatever order: what is accepted never adds up to more than
the fine, the ledger's receivable equals what is still outstanding, and the derived status says so."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.roles import AUDITORS, FUND_ADMINISTRATORS
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.relief import services
from apps.relief.exceptions import PaymentExceedsOutstanding
from apps.relief.models import PaymentStatus, Sanction

pytestmark = pytest.mark.django_db
FINE = 1_000_000


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=st.lists(st.integers(min_value=1, max_value=FINE), min_size=1, max_size=8))
def test_payments_never_exceed_the_fine_and_the_books_agree(relief, org_a, attempts):
    sanction = services.sanction_impose(
        actor="test", organization=org_a, case_reference=f"P-{Sanction.objects.count()}",
        violation_type="unfair_trade", corrective_order="중지", decision_date=date(2026, 3, 2), fine_amount=FINE)
    receivable_before = fund_account(relief, chart.FINES_RECEIVABLE).balance_minor - FINE
    accepted = 0
    for n, amount in enumerate(attempts):
        try:
            services.fine_payment_record(actor="test", sanction=sanction, amount=amount, paid_on=date(2026, 3, 3),
                                         idempotency_key=f"{sanction.pk}:{n}")
            accepted += amount
        except PaymentExceedsOutstanding:
            assert accepted + amount > FINE
    row = Sanction.objects.with_amounts().get(pk=sanction.pk)
    assert row.paid == accepted <= FINE
    assert fund_account(relief, chart.FINES_RECEIVABLE).balance_minor - receivable_before == FINE - accepted
    expected = (PaymentStatus.PAID if accepted == FINE else PaymentStatus.PARTLY_PAID if accepted
                else PaymentStatus.UNPAID)
    assert row.payment_status == expected


def test_setup_relief_grants_auditors_view_and_administrators_change(db):
    Group.objects.filter(name__in=[AUDITORS, FUND_ADMINISTRATORS]).delete()
    call_command("setup_relief", stdout=None)
    auditors = set(Permission.objects.filter(group__name=AUDITORS, content_type__app_label="relief")
                   .values_list("codename", flat=True))
    admins = set(Permission.objects.filter(group__name=FUND_ADMINISTRATORS, content_type__app_label="relief")
                 .values_list("codename", flat=True))
    assert "view_claim" in auditors and not any(c.startswith(("add_", "change_", "delete_")) for c in auditors)
    assert {"view_sanction", "add_sanction", "change_claim"} <= admins
    assert not any(c.startswith("delete_") for c in admins)
