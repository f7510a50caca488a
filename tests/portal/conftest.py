"""Companies A and B with their finance officers (and a viewer of A), the funds with their designated uses, and
ways to submit and confirm contributions, shared with the contributions tests."""

from datetime import date
from decimal import Decimal

import pytest

from apps.taxcredits.models import CreditKind, TaxCreditRule
from tests.contributions.conftest import confirmed, submit, uses, wwfp  # noqa: F401
from tests.funds.conftest import funds, wwcf  # noqa: F401
from tests.organizations.fixtures import *  # noqa: F403


@pytest.fixture(autouse=True)
def art_8_3(db):
    """The art. 8-3 rule as its migration seeds it: a transactional test (a browser test) run earlier on the same
    database ends with a flush that removes the migration's row, so the portal's tests put it back if it is gone."""
    return TaxCreditRule.objects.get_or_create(kind=CreditKind.WIN_WIN_FUND_CONTRIBUTION, valid_from=date(2026, 1, 1),
                                               defaults={"rate": Decimal("0.10"), "valid_to": date(2028, 12, 31)})[0]


@pytest.fixture
def client_as(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def korean(client):
    client.cookies["django_language"] = "ko"
    return client


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client
