"""Contributions in the back office: listed with filters and a registration-number search, confirmed in bulk by
an administrator (refusals reported, never half done), read-only otherwise; designated uses are editable."""

from datetime import date

import pytest
from django.urls import reverse

from apps.contributions import services
from apps.contributions.models import Contribution, ContributionStatus, DesignatedUse, DonationReceipt
from apps.core.demo import grant_role_permissions
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.models import JournalEntry

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:contributions_contribution_changelist")


@pytest.fixture(autouse=True)
def role_permissions(db):
    grant_role_permissions()
    services.role_permissions_grant()


@pytest.fixture
def two(submit, org_b, member_b):
    return submit(), submit(actor=member_b, organization=org_b, amount=5_000_000,
                            contribution_date=date(2027, 2, 1))


def test_an_administrator_confirms_selected_contributions(client, fund_admin, two, submit, member_a):
    done = services.contribution_withdraw(actor=member_a, contribution=submit(), reason="중복")
    client.force_login(fund_admin)

    response = client.post(CHANGELIST, {"action": "confirm_contributions",
                                        "_selected_action": [c.pk for c in (*two, done)]}, follow=True)

    page = response.content.decode()
    assert "2건의 출연을 확인했습니다." in page  # the back office speaks Korean by default
    assert f"출연 #{done.pk}을(를) 확인하지 못했습니다" in page  # the refusal, reported with its reason
    assert set(Contribution.objects.filter(status=ContributionStatus.CONFIRMED)) == set(two)
    assert DonationReceipt.objects.count() == 2 and JournalEntry.objects.count() == 2


def test_a_confirmation_into_a_closed_year_is_reported_and_the_others_go_through(client, fund_admin, two, wwcf):
    ledger.period_close(actor="test", ledger=wwcf.ledger, year=2026,
                        net_assets_account=fund_account(wwcf, chart.UNRESTRICTED_NET_ASSETS))
    entries = JournalEntry.objects.count()
    client.force_login(fund_admin)

    response = client.post(CHANGELIST, {"action": "confirm_contributions",
                                        "_selected_action": [c.pk for c in two]}, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"출연 #{two[0].pk}을(를) 확인하지 못했습니다" in page and "2026" in page
    assert list(Contribution.objects.filter(status=ContributionStatus.CONFIRMED)) == [two[1]]
    assert JournalEntry.objects.count() == entries + 1


def test_an_auditor_sees_the_list_but_cannot_confirm(client, auditor, two):
    client.force_login(auditor)
    assert client.get(CHANGELIST).status_code == 200

    client.post(CHANGELIST, {"action": "confirm_contributions", "_selected_action": [two[0].pk]})

    assert not Contribution.objects.filter(status=ContributionStatus.CONFIRMED).exists()


@pytest.mark.parametrize("query, expected", [
    ({"status__exact": "submitted"}, {0, 1}), ({"year": "2027"}, {1}),
    ({"organization__size_class__exact": "sme"}, {1}), ({"q": "124-81-00998"}, {0}), ({"q": "새싹"}, {1}),
])
def test_the_list_filters_and_searches(client, fund_admin, two, query, expected):
    client.force_login(fund_admin)
    response = client.get(CHANGELIST, query)
    assert response.status_code == 200
    shown = {c.pk for c in response.context["cl"].result_list}
    assert shown == {two[i].pk for i in expected}


def test_the_fund_filter(client, fund_admin, two, wwfp):
    client.force_login(fund_admin)
    assert len(client.get(CHANGELIST, {"fund__id__exact": wwfp.pk}).context["cl"].result_list) == 0


def test_a_contribution_page_shows_its_history_read_only(client, fund_admin, two):
    services.contribution_confirm(actor=fund_admin, contribution=two[0])
    client.force_login(fund_admin)
    url = reverse("admin:contributions_contribution_change", args=[two[0].pk])

    page = client.get(url).content.decode()

    assert "WWCF-2026-000001" in page and "admin1" in page and "member_a" in page
    client.post(url, {"amount": "1"})
    two[0].refresh_from_db()
    assert two[0].amount == 100_000_000
    assert client.get(reverse("admin:contributions_contribution_add")).status_code == 403


def test_receipts_are_read_only(client, fund_admin, two):
    services.contribution_confirm(actor=fund_admin, contribution=two[0])
    receipt = DonationReceipt.objects.get()
    client.force_login(fund_admin)

    assert client.get(reverse("admin:contributions_donationreceipt_changelist")).status_code == 200
    assert client.post(reverse("admin:contributions_donationreceipt_delete", args=[receipt.pk]),
                       {"post": "yes"}).status_code == 403
    assert DonationReceipt.objects.filter(pk=receipt.pk).exists()


def test_an_administrator_ends_a_designated_use(client, fund_admin, uses):
    general = DesignatedUse.objects.get(code="general")
    client.force_login(fund_admin)
    form = {"code": "general", "name_ko": general.name_ko, "name_en": general.name_en, "valid_from": "2026-01-01",
            "valid_to": "2026-12-31", "funds": [uses["wwcf"].pk, uses["wwfp"].pk]}

    response = client.post(reverse("admin:contributions_designateduse_change", args=[general.pk]), form)

    assert response.status_code == 302
    general.refresh_from_db()
    assert general.valid_to == date(2026, 12, 31)
