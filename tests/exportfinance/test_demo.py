"""The export-finance demo: three projects, their 2026 movements and H1 reports, shares recycled and Hyundai Motor's
received and channelled to wwcf; a second run changes nothing."""

import pytest

from apps.core.demo import DemoContext, ensure_organizations
from apps.exportfinance import demo
from apps.exportfinance.models import (
    Disbursement,
    ExportProject,
    ProfitReport,
    ProfitShare,
    Repayment,
    ShareStatus,
)
from apps.funds import chart
from apps.ledger.models import JournalEntry
from apps.ledger.selectors import trial_balance

from .conftest import balance

ROWS = (ExportProject, Disbursement, Repayment, ProfitReport, ProfitShare, JournalEntry)


@pytest.fixture
def context(sef, fund_admin, rule):
    return DemoContext(actor=fund_admin, users={}, organizations=ensure_organizations(fund_admin), officers={},
                       books={})


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ROWS}


@pytest.mark.django_db
def test_the_demo_tells_the_story_and_a_second_run_changes_nothing(context, sef, wwcf):
    demo.ensure_demo(context)
    first = counts()
    demo.ensure_demo(context)
    assert counts() == first
    assert first["ExportProject"] == 3 and first["ProfitShare"] == 3 and first["ProfitReport"] == 4
    shares = {s.project.beneficiary.name_en: s for s in ProfitShare.objects.select_related("project__beneficiary")}
    hyundai = shares["Hyundai Motor"]
    assert (hyundai.status, hyundai.amount_due, hyundai.channelled) == (
        ShareStatus.CHANNELLED, 8_123_456_789, 4_061_728_395)
    assert shares["POSCO Holdings"].amount_due == 4_700_000_000  # from the corrected report
    assert shares["LG Electronics"].status == ShareStatus.NOTHING_DUE
    assert balance(wwcf, chart.TRANSFERS_FROM_OTHER_FUNDS) == balance(sef, chart.TRANSFER_EXPENSE) == 4_061_728_395
    assert hyundai.settled_on is not None  # and settled in cash: no due pair left
    assert balance(wwcf, chart.DUE_FROM_OTHER_FUNDS) == balance(sef, chart.DUE_TO_OTHER_FUNDS) == 0
    assert trial_balance(sef.ledger).is_balanced and trial_balance(wwcf.ledger).is_balanced
