"""The funds with a small year of postings in two of them (contributions naming companies A and B, a grant, an
inter-fund transfer, an entry in the year before, a memo full of markup), sealed; and helpers to read exports."""

import csv
import io
from datetime import date

import pytest

from apps.core.money import krw
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.sealing import seal_ledger_fully
from apps.ledger.services import credit, debit
from tests.funds.conftest import funds, wwcf  # noqa: F401
from tests.organizations.fixtures import *  # noqa: F403

YEAR_FROM, YEAR_TO = date(2026, 1, 1), date(2026, 12, 31)
MARKUP_MEMO = 'Grant <A&B> "smart factory"\nsecond line'


def post(fund, day, lines, memo=""):
    return ledger.entry_post(actor="test", ledger=fund.ledger, effective_date=day, memo=memo, lines=lines)


@pytest.fixture
def books(funds, org_a, org_b):  # noqa: F811
    """wwcf: ₩1,000,000 in 2025, then ₩5,000,000 from A and ₩2,000,000 from B, a ₩1,500,000 grant to B; sef: a
    ₩700,000 contribution from A. Every entry sealed; returns the funds."""
    wwcf, sef = funds["wwcf"], funds["sef"]  # noqa: F811

    def contribution(fund, day, won, org):
        post(fund, day, [debit(fund_account(fund, chart.CASH), krw(won), party=org.party),
                         credit(fund_account(fund, chart.CONTRIBUTION_REVENUE), krw(won), party=org.party)],
             memo=f"contribution from {org.name_ko}")

    contribution(wwcf, date(2025, 12, 30), 1_000_000, org_a)
    contribution(wwcf, date(2026, 3, 2), 5_000_000, org_a)
    contribution(wwcf, date(2026, 4, 15), 2_000_000, org_b)
    post(wwcf, date(2026, 6, 1), [debit(fund_account(wwcf, chart.GRANT_EXPENSE), krw(1_500_000), party=org_b.party),
                                  credit(fund_account(wwcf, chart.CASH), krw(1_500_000))], memo=MARKUP_MEMO)
    contribution(sef, date(2026, 5, 20), 700_000, org_a)
    for fund in funds.values():
        seal_ledger_fully(fund.ledger_id)
    return funds


def read_csv(data: bytes) -> tuple[list[str], list[list[str]], dict[str, str], list[list[str]]]:
    """(header, data rows, control values by name, seal rows) of an exported CSV (BOM removed)."""
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data[3:].decode())))
    blank = rows.index([])
    control = {r[1]: r[2] for r in rows[blank + 1:] if r[0] == "#control"}
    seals = [r[1:] for r in rows[blank + 1:] if r[0] == "#seal"]
    return rows[0], rows[1:blank], control, seals
