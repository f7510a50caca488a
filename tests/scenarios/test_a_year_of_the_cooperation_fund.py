"""A worked example across the rooms, as a fund would live it: a company contributes through the portal's service,
the fund confirms the money, the government matches it, the money is awarded and paid to an SME abroad, and an
auditor finds every step in the trail, ties an export to the seals, reads statements that balance, and verifies
the books."""

from datetime import date
from decimal import Decimal

import pytest

from apps.audit.models import AuditEvent
from apps.contributions import services as contributions
from apps.contributions.models import ContributionStatus
from apps.exports.models import JobStatus
from apps.exports.services import export_job_create
from apps.funds import chart
from apps.funds.models import Fund
from apps.funds.selectors import fund_account
from apps.funds.services import funds_setup
from apps.grants import services as grants
from apps.ledger.models import EntrySeal, JournalEntry
from apps.ledger.sealing import seal_ledger_fully
from apps.ledger.verification import verify
from apps.matching.models import MatchingBudget, MatchingRule
from apps.statements.selectors import fiscal_year, scope_get, statements_compute
from tests.organizations.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db(transaction=True)

EOK = 10**8


def test_a_contribution_is_matched_spent_abroad_and_audited(org_a, org_b, member_a, fund_admin, auditor, api_as):
    funds_setup(actor="scenario")
    contributions.designated_uses_setup(actor="scenario")
    wwcf = Fund.objects.get(code="wwcf")
    MatchingRule.objects.create(fund=wwcf, program="", ratio=Decimal("1"), valid_from=date(2026, 1, 1))
    MatchingBudget.objects.create(fund=wwcf, program="", year=2026, amount=50 * EOK)

    # Company A gives ₩100억; the fund confirms it through the API; the government matches ₩50억, all its budget.
    contribution = contributions.contribution_submit(
        actor=member_a, organization=org_a, fund=wwcf, amount=100 * EOK, contribution_date=date(2026, 3, 2),
        designated_use="market_expansion", idempotency_key="scenario:contribution")
    response = api_as(fund_admin).post(f"/api/v1/contributions/{contribution.pk}/confirm/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200, response.content
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.MATCHED and contribution.match.matched == 50 * EOK

    # A joint expansion to the United States: SME B is awarded its whole ₩20억 cap and paid a first tranche.
    project = grants.project_propose(
        actor=member_a, lead=org_a, title="미국 반도체 장비 동반진출", country="US", total_cost=100 * EOK,
        start_date=date(2026, 4, 1), end_date=date(2028, 3, 31), participants=[org_b],
        idempotency_key="scenario:project")
    grants.project_approve(actor=fund_admin, project=project)
    award = grants.award_approve(actor=fund_admin, project=project, sme=org_b, amount=20 * EOK,
                                 award_date=date(2026, 4, 15), idempotency_key="scenario:award")
    grants.tranche_pay(actor=fund_admin, award=award, amount=5 * EOK, paid_date=date(2026, 5, 4),
                       idempotency_key="scenario:tranche-1")
    with pytest.raises(grants.CapExceeded):  # not a won more for B in the United States
        grants.award_approve(actor=fund_admin, project=project, sme=org_b, amount=1, award_date=date(2026, 6, 1))

    cash = fund_account(wwcf, chart.CASH)
    assert cash.balance_minor == 100 * EOK - 5 * EOK
    assert cash.available_minor == 100 * EOK - 20 * EOK  # the rest of the award is still reserved

    # The trail names who confirmed the contribution and from where, written with the change.
    confirmed = AuditEvent.objects.filter(table_name="contributions_contribution", object_id=str(contribution.pk),
                                          after__status=ContributionStatus.CONFIRMED)
    assert confirmed.filter(user_id=fund_admin.pk, ip="10.1.2.3").exists()

    # The auditor's export ties to the seals, the statements balance, and the books verify.
    seal_ledger_fully(wwcf.ledger_id)
    job = export_job_create(actor=auditor, kind="gl", format="csv", date_from=date(2026, 1, 1),
                            date_to=date(2026, 12, 31), fund="wwcf", idempotency_key="scenario:export")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    entries = JournalEntry.objects.filter(ledger=wwcf.ledger)
    last = EntrySeal.objects.filter(ledger=wwcf.ledger).order_by("-chain_index").first()
    assert job.control["entries"] == entries.count() and job.control["unsealed_entries"] == 0
    assert job.control["total_debit"] == job.control["total_credit"] > 0
    assert job.control["last_seals"][0]["hash"] == last.hash

    statements = statements_compute(scope=scope_get("wwcf"), period=fiscal_year(2026))
    assert all(check.ok for statement in statements for check in statement.checks)

    assert verify().problems == []
