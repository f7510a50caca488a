"""A small fund ledger every ledger test can post to."""

from dataclasses import dataclass

import pytest

from apps.ledger.models import Account, AccountType, Ledger

from .factories import AccountFactory, LedgerFactory


@dataclass
class Book:
    ledger: Ledger
    cash: Account  # limited: never below zero
    receivable: Account
    payable: Account
    net_assets: Account
    revenue: Account
    expense: Account


def make_book(code: str = "wwcf") -> Book:
    ledger = LedgerFactory(code=code)

    def acct(code, type_, **kw):
        return AccountFactory(ledger=ledger, code=code, type=type_, **kw)

    return Book(
        ledger=ledger,
        cash=acct("1110", AccountType.ASSET, name_en="Cash", non_negative=True),
        receivable=acct("1210", AccountType.ASSET, name_en="Contributions receivable"),
        payable=acct("2110", AccountType.LIABILITY, name_en="Grants payable"),
        net_assets=acct("3100", AccountType.NET_ASSETS, name_en="Unrestricted net assets"),
        revenue=acct("4100", AccountType.REVENUE, name_en="Contribution revenue"),
        expense=acct("5100", AccountType.EXPENSE, name_en="Grant expense"),
    )


@pytest.fixture
def book(db) -> Book:
    return make_book()


@pytest.fixture
def other_book(db) -> Book:
    return make_book("relief")
