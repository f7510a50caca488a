"""The whole ledger as SAF-T XML: valid against the schema kept in the repository, every transaction balanced,
control totals equal to the sums of the lines, free text escaped, the last seal in the header."""

from pathlib import Path

import pytest
from lxml import etree

from apps.exports.spec import export_spec
from apps.exports.writers import Export
from apps.ledger.models import LedgerChain

from .conftest import MARKUP_MEMO, YEAR_FROM, YEAR_TO

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parents[2] / "apps" / "exports" / "schema" / "saft-winwin-1.0.xsd"
NS = {"s": "urn:winwin-fund-ledger:saf-t:1.0"}


def saft(fund: str = "") -> etree._Element:
    spec = export_spec(kind="saft", format="xml", fund=fund, date_from=YEAR_FROM, date_to=YEAR_TO)
    return etree.fromstring(b"".join(Export(spec).chunks()))


def amounts(element, side: str) -> list[int]:
    return [int(a) for a in element.xpath(f".//s:{side}Amount/s:Amount/text()", namespaces=NS)]


def test_the_file_validates_against_the_schema_in_the_repository(books):
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    for fund in ("", "wwcf", "relief"):
        document = saft(fund)
        assert schema.validate(document), schema.error_log


def test_every_transaction_balances_and_the_control_totals_equal_the_lines(books):
    document = saft()
    transactions = document.xpath("//s:Transaction", namespaces=NS)
    assert len(transactions) == int(document.findtext(".//s:NumberOfEntries", namespaces=NS)) == 4
    for transaction in transactions:
        assert sum(amounts(transaction, "Debit")) == sum(amounts(transaction, "Credit")) > 0
    assert sum(amounts(document, "Debit")) == int(document.findtext(".//s:TotalDebit", namespaces=NS)) == 9_200_000
    assert sum(amounts(document, "Credit")) == int(document.findtext(".//s:TotalCredit", namespaces=NS))


def test_accounts_carry_opening_and_closing_balances_and_parties_their_names(books, org_a):
    document = saft("wwcf")
    cash = document.xpath("//s:Account[s:AccountID='wwcf-1110']", namespaces=NS)[0]
    assert cash.findtext("s:OpeningDebitBalance", namespaces=NS) == "1000000"
    assert cash.findtext("s:ClosingDebitBalance", namespaces=NS) == "6500000"
    revenue = document.xpath("//s:Account[s:AccountID='wwcf-4100']", namespaces=NS)[0]
    assert revenue.findtext("s:ClosingCreditBalance", namespaces=NS) == "8000000"
    names = dict(zip(document.xpath("//s:Party/s:PartyID/text()", namespaces=NS),
                     document.xpath("//s:Party/s:Name/text()", namespaces=NS), strict=True))
    assert names[org_a.party] == "한빛전자"


def test_markup_in_a_memo_is_escaped_and_reads_back_unchanged(books):
    descriptions = saft("wwcf").xpath("//s:Transaction/s:Description/text()", namespaces=NS)
    assert MARKUP_MEMO in descriptions


def test_the_header_names_each_funds_last_seal(books):
    document = saft()
    seals = {s.findtext("s:Book", namespaces=NS): s.findtext("s:Hash", namespaces=NS)
             for s in document.xpath("//s:LedgerSeal", namespaces=NS)}
    assert seals == {code: LedgerChain.objects.get(ledger=books[code].ledger).head_hash for code in ("wwcf", "sef")}
    journals = document.xpath("//s:Journal/s:JournalID/text()", namespaces=NS)
    assert journals == ["wwcf", "wwfp", "sef", "relief"]  # a fund without entries still has its journal
