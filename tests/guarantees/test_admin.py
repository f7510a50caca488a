"""The pool in the back office: programs show their leverage and the room left; transfers and guarantees are added
through the services (a refusal comes back as a message); guarantees are filtered and searched; auditors only
look."""

import pytest
from django.urls import reverse

from apps.core.demo import grant_role_permissions
from apps.guarantees import services
from apps.guarantees.models import Guarantee, GuaranteeStatus, GuaranteeTransfer

from .conftest import D


def url(model: str, view: str = "changelist", *args) -> str:
    return reverse(f"admin:guarantees_{model}_{view}", args=args)


@pytest.fixture(autouse=True)
def role_permissions(db):
    grant_role_permissions()


@pytest.fixture
def issued(funded, org_b, fund_admin):
    return services.guarantee_issue(actor=fund_admin, program=funded, sme=org_b, amount=300_000_000,
                                    term_months=12, issue_date=D)


def test_every_list_opens_for_administrators_and_auditors(client, fund_admin, auditor, issued):
    for user in (fund_admin, auditor):
        client.force_login(user)
        for model in ("guaranteeinstitution", "guaranteeprogram", "earmark", "guaranteetransfer", "guarantee"):
            assert client.get(url(model)).status_code == 200, (user, model)


def test_the_program_list_shows_the_multiple_and_the_room_left(client, fund_admin, issued, funded):
    client.force_login(fund_admin)

    body = client.get(url("guaranteeprogram")).content.decode()

    assert "12.5×" in body and "950,000,000" in body
    assert "950,000,000" in client.get(url("guaranteeprogram", "change", funded.pk)).content.decode()


def test_an_administrator_adds_a_transfer_through_the_service(client, fund_admin, earmarked, program):
    client.force_login(fund_admin)

    response = client.post(url("guaranteetransfer", "add"), {"program": program.pk, "amount": 30_000_000,
                                                              "transfer_date": "2026-03-02", "memo": ""})

    assert response.status_code == 302
    transfer = GuaranteeTransfer.objects.get()
    assert transfer.amount == 30_000_000 and transfer.entry_id is not None


def test_a_refused_guarantee_comes_back_as_a_message_naming_the_room_left(client, fund_admin, issued, funded, org_b):
    client.force_login(fund_admin)

    response = client.post(url("guarantee", "add"), {"program": funded.pk, "sme": org_b.pk, "amount": 2_000_000_000,
                                                      "term_months": 12, "issue_date": "2026-04-01"}, follow=True)

    assert "950,000,000 won of room left" in response.content.decode()
    assert Guarantee.objects.count() == 1


def test_an_administrator_ends_guarantees_with_an_action(client, fund_admin, issued):
    client.force_login(fund_admin)

    client.post(url("guarantee"), {"action": "mark_repaid", "_selected_action": [issued.pk]})

    issued.refresh_from_db()
    assert issued.status == GuaranteeStatus.REPAID
    assert issued.events.count() == 2


def test_an_auditor_cannot_add_or_end(client, auditor, issued, funded, org_b):
    client.force_login(auditor)

    assert client.get(url("guarantee", "add")).status_code == 403
    assert client.get(url("guaranteetransfer", "add")).status_code == 403
    client.post(url("guarantee"), {"action": "mark_repaid", "_selected_action": [issued.pk]})
    issued.refresh_from_db()
    assert issued.status == GuaranteeStatus.ACTIVE


@pytest.mark.parametrize("query, found", [
    ({"status__exact": "active"}, True), ({"status__exact": "called"}, False), ({"year": "2026"}, True),
    ({"year": "2027"}, False), ({"q": "새싹"}, True), ({"q": "120-81-47521"}, True), ({"q": "없는회사"}, False),
])
def test_the_guarantee_list_filters_and_searches(client, fund_admin, issued, query, found):
    client.force_login(fund_admin)

    response = client.get(url("guarantee"), query)

    assert response.status_code == 200
    assert (issued in response.context["cl"].result_list) is found


def test_the_guarantee_list_filters_by_institution(client, fund_admin, issued, kodit, kibo):
    client.force_login(fund_admin)

    assert list(client.get(url("guarantee"), {"program__institution__id__exact": kodit.pk}).context["cl"]
                .result_list) == [issued]
    assert not client.get(url("guarantee"), {"program__institution__id__exact": kibo.pk}).context["cl"].result_list
