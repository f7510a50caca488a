"""SAF-T XML in the OECD shape (DOMAIN.md §8), valid against `apps/exports/schema/saft-winwin-1.0.xsd`.

Header (the books, currency, period, and each book's last seal), MasterFiles (accounts with opening and closing
debit or credit balances, parties, the fund as analysis type), then GeneralLedgerEntries: the control totals
first, then one Journal per fund with a Transaction per entry and a Line per journal line. The text is built by
hand, a fetch at a time, with every free text escaped: an XML tree of a million lines would not fit in memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from xml.sax.saxutils import escape

from django.db import connection
from django.utils import timezone

from apps.organizations.models import PARTY_PREFIX, Organization

from ..selectors import Control, account_balances
from ..sources import fetch_chunks, id_list, saft_statement
from ..spec import ExportSpec

NAMESPACE = "urn:winwin-fund-ledger:saf-t:1.0"
VERSION = "1.0"
# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value) -> str:
    """Element content: markup characters escaped, characters XML cannot carry dropped."""
    if not value:
        return ""
    value = escape(str(value))
    return _NOT_XML.sub("", value) if _NOT_XML.search(value) else value


def chunks(spec: ExportSpec, control: Control, progress: Callable[[int], None]) -> Iterator[bytes]:
    yield _header(spec, control).encode()
    yield _master_files(spec).encode()
    yield (f"<GeneralLedgerEntries><NumberOfEntries>{control.entries}</NumberOfEntries>"
           f"<TotalDebit>{control.total_debit}</TotalDebit><TotalCredit>{control.total_credit}</TotalCredit>").encode()
    yield from _journals(spec, progress)
    yield b"</GeneralLedgerEntries></AuditFile>\n"


def _header(spec: ExportSpec, control: Control) -> str:
    if len(spec.books) == 1:
        company = spec.books[0].institution or spec.books[0].name
        company_id = spec.books[0].code
    else:
        company, company_id = "상생협력 기금 (전체)", "all-funds"
    seals = "".join(
        f"<LedgerSeal><Book>{text(s.book)}</Book><EntryNumber>{s.number}</EntryNumber><Hash>{s.hash}</Hash>"
        f"<ChainIndex>{s.chain_index}</ChainIndex></LedgerSeal>" for s in control.seals)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<AuditFile xmlns="{NAMESPACE}"><Header>'
        f"<AuditFileVersion>{VERSION}</AuditFileVersion><AuditFileCountry>KR</AuditFileCountry>"
        f"<AuditFileDateCreated>{timezone.localdate().isoformat()}</AuditFileDateCreated>"
        "<SoftwareCompanyName>Win-Win Fund Ledger</SoftwareCompanyName><SoftwareID>winwin-ledger</SoftwareID>"
        f"<SoftwareVersion>{VERSION}</SoftwareVersion>"
        f"<Company><CompanyID>{text(company_id)}</CompanyID><Name>{text(company)}</Name></Company>"
        f"<DefaultCurrencyCode>{text(spec.books[0].currency)}</DefaultCurrencyCode>"
        f"<SelectionCriteria><SelectionStartDate>{spec.date_from.isoformat()}</SelectionStartDate>"
        f"<SelectionEndDate>{spec.date_to.isoformat()}</SelectionEndDate></SelectionCriteria>"
        f"<LedgerSeals>{seals}</LedgerSeals><UnsealedEntries>{control.unsealed}</UnsealedEntries></Header>"
    )


def _master_files(spec: ExportSpec) -> str:
    parts = ["<MasterFiles><GeneralLedgerAccounts>"]
    for b in account_balances(spec):
        opening = ("OpeningDebitBalance", b.opening) if b.opening >= 0 else ("OpeningCreditBalance", -b.opening)
        closing = ("ClosingDebitBalance", b.closing) if b.closing >= 0 else ("ClosingCreditBalance", -b.closing)
        parts.append(
            f"<Account><AccountID>{text(b.book)}-{text(b.code)}</AccountID>"
            f"<AccountDescription>{text(b.name)}</AccountDescription><AccountType>{b.type}</AccountType>"
            f"<Analysis><AnalysisType>FUND</AnalysisType><AnalysisID>{text(b.book)}</AnalysisID></Analysis>"
            f"<{opening[0]}>{opening[1]}</{opening[0]}><{closing[0]}>{closing[1]}</{closing[0]}></Account>")
    parts.append("</GeneralLedgerAccounts><Parties>")
    parts += [f"<Party><PartyID>{text(party)}</PartyID><Name>{text(name)}</Name></Party>"
              for party, name in _parties(spec)]
    parts.append("</Parties><AnalysisTypeTable>")
    parts += [f"<AnalysisTypeTableEntry><AnalysisType>FUND</AnalysisType><AnalysisTypeDescription>기금"
              f"</AnalysisTypeDescription><AnalysisID>{text(book.code)}</AnalysisID>"
              f"<AnalysisIDDescription>{text(book.name)}</AnalysisIDDescription></AnalysisTypeTableEntry>"
              for book in spec.books]
    parts.append("</AnalysisTypeTable></MasterFiles>")
    return "".join(parts)


def _parties(spec: ExportSpec) -> list[tuple[str, str]]:
    """Every party named on the period's lines, with the organisation's name where the party is one."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT l.party FROM ledger_journalline l JOIN ledger_account a ON a.id = l.account_id "  # noqa: S608 - ids and fixed snippets only
            f"WHERE a.ledger_id IN ({id_list(spec.ledger_ids)}) AND l.party <> '' "
            "AND l.effective_date BETWEEN %s AND %s ORDER BY l.party", [spec.date_from, spec.date_to])
        parties = [row[0] for row in cur.fetchall()]
    ids = [int(p.removeprefix(PARTY_PREFIX)) for p in parties
           if p.startswith(PARTY_PREFIX) and p.removeprefix(PARTY_PREFIX).isdigit()]
    names = {f"{PARTY_PREFIX}{pk}": name for pk, name in
             Organization.objects.filter(pk__in=ids).values_list("pk", "name_ko")}
    return [(party, names.get(party, party)) for party in parties]


def _journals(spec: ExportSpec, progress: Callable[[int], None]) -> Iterator[bytes]:
    books = sorted(spec.books, key=lambda b: b.ledger_id)
    journal_open = {b.ledger_id: (f"<Journal><JournalID>{text(b.code)}</JournalID>"
                                  f"<Description>{text(b.name)}</Description><Type>GL</Type>") for b in books}
    pending = [b.ledger_id for b in books]  # journals not opened yet, in ledger order
    account_ids: dict[tuple[int, str], str] = {}
    codes = {b.ledger_id: text(b.code) for b in books}
    parties: dict[str, str] = {}
    ledger, entry, done = None, None, 0
    for rows in fetch_chunks(saft_statement(spec)):
        out = []
        for ledger_id, entry_id, number, day, memo, reference, actor, line_id, code, debit, credit, party in rows:
            if entry_id != entry:
                if entry is not None:
                    out.append("</Transaction>")
                if ledger_id != ledger:
                    if ledger is not None:
                        out.append("</Journal>")
                    while pending[0] != ledger_id:  # books without an entry in the period: empty journals
                        out.append(journal_open[pending.pop(0)] + "</Journal>")
                    out.append(journal_open[pending.pop(0)])
                    ledger = ledger_id
                entry = entry_id
                out.append(
                    f"<Transaction><TransactionID>{number or f'E{entry_id}'}</TransactionID>"
                    f"<Period>{int(day[5:7])}</Period><PeriodYear>{day[:4]}</PeriodYear>"
                    f"<TransactionDate>{day}</TransactionDate><SourceID>{text(actor)}</SourceID>"
                    f"<Description>{text(memo)}</Description>"
                    + (f"<SourceDocumentID>{text(reference)}</SourceDocumentID>" if reference else "")
                    + f"<SystemID>{entry_id}</SystemID>")
            account = account_ids.get((ledger_id, code))
            if account is None:
                account = account_ids[(ledger_id, code)] = f"{codes[ledger_id]}-{text(code)}"
            if party:
                tag = parties.get(party)
                if tag is None:
                    tag = parties[party] = f"<PartyID>{text(party)}</PartyID>"
            else:
                tag = ""
            if debit:
                amount = f"<DebitAmount><Amount>{debit}</Amount></DebitAmount>"
            else:
                amount = f"<CreditAmount><Amount>{credit}</Amount></CreditAmount>"
            out.append(f"<Line><RecordID>{line_id}</RecordID><AccountID>{account}</AccountID>{tag}{amount}</Line>")
        done += len(rows)
        yield "".join(out).encode()
        progress(done)
    closing = ["</Transaction>"] if entry is not None else []
    if ledger is not None:
        closing.append("</Journal>")
    closing += [journal_open[ledger_id] + "</Journal>" for ledger_id in pending]
    yield "".join(closing).encode()
