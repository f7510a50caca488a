"""The tables behind CSV and XLSX: headers, data rows in chunks, and the control block every file ends with."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db import connection
from django.utils.translation import gettext as _

from ..models import ExportKind
from ..selectors import Control, account_balances
from ..sources import fetch_chunks, lines_statement
from ..spec import ExportSpec


def header(kind: str) -> list[str]:
    if kind == ExportKind.JOURNAL:
        return [_("Entry number"), _("Entry id"), _("Effective date"), _("Fund"), _("Line id"), _("Account code"),
                _("Account name"), _("Debit"), _("Credit"), _("Party"), _("Memo"), _("Reference")]
    if kind == ExportKind.GENERAL_LEDGER:
        return [_("Fund"), _("Account code"), _("Account name"), _("Effective date"), _("Entry number"),
                _("Entry id"), _("Line id"), _("Debit"), _("Credit"), _("Balance (debit − credit)"), _("Party"),
                _("Memo")]
    if kind == ExportKind.STATEMENT:
        return [_("Effective date"), _("Entry number"), _("Entry id"), _("Line id"), _("Memo"), _("Party"),
                _("Debit"), _("Credit"), _("Balance")]
    return [_("Fund"), _("Account code"), _("Account name"), _("Account type"), _("Opening debit"),
            _("Opening credit"), _("Period debit"), _("Period credit"), _("Closing debit"), _("Closing credit")]


def row_chunks(spec: ExportSpec, progress: Callable[[int], None]) -> Iterator[list[tuple]]:
    """The data rows, a fetch at a time; `progress(lines written)` after each."""
    if spec.kind == ExportKind.TRIAL_BALANCE:
        yield [(b.book, b.code, b.name, b.type, *b.sides) for b in account_balances(spec)]
        return
    chunks = fetch_chunks(lines_statement(spec))
    if spec.kind == ExportKind.STATEMENT:
        chunks = _with_running_balance(spec, chunks)
    done = 0
    for rows in chunks:
        yield rows
        done += len(rows)
        progress(done)


def _with_running_balance(spec: ExportSpec, chunks: Iterator[list[tuple]]) -> Iterator[list[tuple]]:
    """A statement: the opening balance, each line with the balance after it (on the account's normal side),
    and the closing balance. Opening and closing rows are not lines: they add to no control total."""
    sign = 1 if spec.account.debit_normal else -1
    balance = sign * _opening(spec)
    yield [(spec.date_from.isoformat(), "", "", "", _("Opening balance"), "", "", "", balance)]
    for rows in chunks:
        out = []
        for day, number, entry_id, line_id, memo, party, debit, credit in rows:
            balance += sign * (debit - credit)
            out.append((day, number, entry_id, line_id, memo, party, debit, credit, balance))
        yield out
    yield [(spec.date_to.isoformat(), "", "", "", _("Closing balance"), "", "", "", balance)]


def _opening(spec: ExportSpec) -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(SUM(debit - credit), 0) FROM ledger_accountday WHERE account_id = %s AND day < %s",
                    [spec.account.id, spec.date_from])
        return int(cur.fetchone()[0])


def control_rows(control: Control) -> list[tuple]:
    """The block after the data: `#control` rows with the totals, `#seal` rows with each book's last seal."""
    rows = [("#control", key, value) for key, value in (
        ("entries", control.entries), ("lines", control.lines), ("total_debit", control.total_debit),
        ("total_credit", control.total_credit), ("unsealed_entries", control.unsealed))]
    rows += [("#seal", seal.book, seal.number, seal.hash) for seal in control.seals]
    return rows
