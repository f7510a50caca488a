"""Tax-credit rules are edited in the back office with their validity (an overlap is refused on the form);
issued statements are read-only there."""

import pytest
from django.urls import reverse

from apps.core.demo import grant_role_permissions
from apps.taxcredits import services
from apps.taxcredits.models import TaxCreditRule

pytestmark = pytest.mark.django_db
RULES = reverse("admin:taxcredits_taxcreditrule_changelist")
ADD_RULE = reverse("admin:taxcredits_taxcreditrule_add")


@pytest.fixture(autouse=True)
def role_permissions(db):
    grant_role_permissions()
    services.role_permissions_grant()


def rule_form(**fields):
    return {"kind": "win_win_fund_contribution", "rate": "0.05", "valid_from": "2028-06-01", "valid_to": "",
            "description": "", "bands-TOTAL_FORMS": "0", "bands-INITIAL_FORMS": "0", "bands-MIN_NUM_FORMS": "0",
            "bands-MAX_NUM_FORMS": "1000", **fields}


def test_an_overlapping_rule_is_refused_on_the_form(client, fund_admin, rule):
    client.force_login(fund_admin)

    response = client.post(ADD_RULE, rule_form())

    assert response.status_code == 200 and "겹칩니다" in response.content.decode()
    assert TaxCreditRule.objects.count() == 1


def test_an_administrator_adds_a_rule_after_the_sunset(client, fund_admin, rule):
    client.force_login(fund_admin)

    response = client.post(ADD_RULE, rule_form(valid_from="2029-01-01", valid_to="2030-12-31"))

    assert response.status_code == 302
    assert TaxCreditRule.objects.filter(valid_from="2029-01-01", rate="0.05").exists()


def test_issued_statements_are_read_only(client, fund_admin, auditor, org_a, rule):
    statement = services.statement_issue(actor=fund_admin, organization=org_a, year=2026)
    change = reverse("admin:taxcredits_taxcreditstatement_change", args=[statement.pk])
    for user in (fund_admin, auditor):
        client.force_login(user)
        assert client.get(RULES).status_code == 200
        assert client.get(change).status_code == 200
        assert client.post(change, {"year": 2030}).status_code == 403
        assert client.get(reverse("admin:taxcredits_taxcreditstatement_add")).status_code == 403
    statement.refresh_from_db()
    assert statement.year == 2026
