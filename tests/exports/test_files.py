"""What an auditor opens: CSV with a BOM that Excel reads in Korean, control totals that equal the sums of the
rows, the last seal that ties the file to ledger_verify, statements with running balances, workbooks that open."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from apps.exports.spec import export_spec
from apps.exports.writers import Export
from apps.ledger.models import EntrySeal, JournalLine, LedgerChain
from apps.ledger.verification import verify

from .conftest import MARKUP_MEMO, YEAR_FROM, YEAR_TO, read_csv

pytestmark = pytest.mark.django_db


def export(**kwargs) -> bytes:
    spec = export_spec(**{"fund": "", "date_from": YEAR_FROM, "date_to": YEAR_TO, **kwargs})
    return b"".join(Export(spec).chunks())


def test_the_journal_csv_starts_with_a_bom_and_lists_every_line_of_the_period_in_korean(books):
    header, rows, control, _ = read_csv(export(kind="journal", format="csv"))
    assert header[0] == "전표번호" and "차변" in header and "대변" in header
    assert len(rows) == 8  # four 2026 entries of two lines; the 2025 contribution is outside the period
    assert {r[3] for r in rows} == {"wwcf", "sef"}
    memo_rows = [r for r in rows if r[10] == MARKUP_MEMO]
    assert len(memo_rows) == 2  # quotes and the line break survive the round trip
    assert rows[0][0] == "2026-000001"
    assert "한빛전자" in rows[0][10]


def test_control_totals_equal_the_sums_of_the_rows(books):
    for kind in ("journal", "gl"):
        header, rows, control, _ = read_csv(export(kind=kind, format="csv"))
        debit, credit = header.index("차변"), header.index("대변")
        assert int(control["total_debit"]) == sum(int(r[debit]) for r in rows) == 9_200_000
        assert int(control["total_credit"]) == sum(int(r[credit]) for r in rows) == 9_200_000
        assert int(control["lines"]) == len(rows) == 8
        assert int(control["entries"]) == len({r[header.index("전표 ID")] for r in rows}) == 4


def test_the_last_seal_is_the_ledgers_chain_head_and_the_ledger_verifies(books):
    _, _, control, seals = read_csv(export(kind="journal", format="csv", fund="wwcf"))
    head = LedgerChain.objects.get(ledger=books["wwcf"].ledger)
    assert seals == [["wwcf", "2026-000003", head.head_hash]]
    assert int(control["unsealed_entries"]) == 0
    assert verify(ledger_ids=[books["wwcf"].ledger_id]).ok


def test_a_period_ending_earlier_names_the_seal_of_its_own_last_entry(books):
    _, _, control, seals = read_csv(export(kind="journal", format="csv", fund="wwcf", date_to=date(2026, 3, 31)))
    seal = EntrySeal.objects.get(ledger=books["wwcf"].ledger, fiscal_year=2026, number=1)
    assert seals == [["wwcf", "2026-000001", seal.hash]]
    assert control["entries"] == "1"


def test_the_general_ledger_runs_each_accounts_balance_from_its_opening(books):
    header, rows, _, _ = read_csv(export(kind="gl", format="csv", fund="wwcf"))
    cash = [r for r in rows if r[1] == "1110"]
    balance = header.index("잔액 (차변 − 대변)")
    # ₩1,000,000 came in during 2025: the year opens with it.
    assert [int(r[balance]) for r in cash] == [6_000_000, 8_000_000, 6_500_000]


def test_an_account_statement_has_opening_and_closing_balances_on_the_accounts_side(books):
    header, rows, control, _ = read_csv(export(kind="statement", format="csv", fund="wwcf", account="4100"))
    balances = [int(r[-1]) for r in rows]
    assert balances == [1_000_000, 6_000_000, 8_000_000, 8_000_000]  # revenue: credits count up
    assert rows[0][4] == "기초 잔액" and rows[-1][4] == "기말 잔액"
    assert control["total_credit"] == "7000000" and control["lines"] == "2"


def test_the_trial_balance_balances_and_its_period_columns_equal_the_control_totals(books):
    _, rows, control, _ = read_csv(export(kind="trial-balance", format="csv"))
    columns = list(zip(*[[int(v) for v in r[4:]] for r in rows], strict=True))
    opening_dr, opening_cr, period_dr, period_cr, closing_dr, closing_cr = map(sum, columns)
    assert opening_dr == opening_cr == 1_000_000
    assert period_dr == period_cr == int(control["total_debit"]) == int(control["total_credit"])
    assert closing_dr == closing_cr == 1_000_000 + 7_000_000 + 700_000


def test_an_xlsx_export_opens_with_openpyxl_with_its_control_sheet(books):
    workbook = load_workbook(io.BytesIO(export(kind="journal", format="xlsx")), read_only=True)
    data, control = (list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets)
    assert data[0][0] == "전표번호" and len(data) == 9
    assert sum(r[7] for r in data[1:]) == 9_200_000
    totals = {r[1]: r[2] for r in control if r[0] == "#control"}
    assert totals["total_debit"] == totals["total_credit"] == 9_200_000
    assert [r[1] for r in control if r[0] == "#seal"] == ["wwcf", "sef"]


def test_lines_posted_after_the_period_are_left_out(books):
    before = JournalLine.objects.count()
    _, rows, _, _ = read_csv(export(kind="journal", format="csv", date_from=date(2026, 7, 1)))
    assert rows == [] and before == 10
