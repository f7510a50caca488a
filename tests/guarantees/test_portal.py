"""The pool's portal pages: a contributor sees its programs, earmarks, transfers and its partners' guarantees; an
SME the guarantees it received; another company none of it (404 on guessed ids); the earmark form works end to
end."""

import pytest
from django.urls import reverse

from apps.guarantees import services
from apps.guarantees.models import Earmark
from apps.organizations.models import MembershipRole, SizeClass
from tests.organizations.factories import MembershipFactory, OrganizationFactory, UserFactory

from .conftest import D, confirm


@pytest.fixture
def issued(funded, org_b, fund_admin):
    return services.guarantee_issue(actor=fund_admin, program=funded, sme=org_b, amount=300_000_000,
                                    term_months=12, issue_date=D)


@pytest.fixture
def stranger(db):
    user = UserFactory(username="stranger")
    MembershipFactory(user=user, organization=OrganizationFactory(name_ko="남의회사", size_class=SizeClass.LARGE),
                      role=MembershipRole.FINANCE_OFFICER)
    return user


def page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_contributor_sees_its_program_transfers_and_guarantees(client, member_a, issued, funded, org_b):
    response = page(client, member_a, "guarantees:overview")

    assert response.status_code == 200
    body = response.content.decode()
    assert funded.name in body and org_b.name_ko in body and "12.5×" in body
    assert page(client, member_a, "guarantees:program", funded.pk).status_code == 200
    assert page(client, member_a, "guarantees:guarantee", issued.pk).status_code == 200


def test_sme_sees_the_guarantees_it_received_but_not_the_program(client, member_b, issued, funded):
    assert page(client, member_b, "guarantees:guarantee", issued.pk).status_code == 200
    assert page(client, member_b, "guarantees:program", funded.pk).status_code == 404
    assert funded.name in page(client, member_b, "guarantees:overview").content.decode()  # in its guarantee's row


def test_another_company_sees_nothing_and_guessed_ids_answer_404(client, stranger, issued, funded):
    body = page(client, stranger, "guarantees:overview").content.decode()

    assert funded.name not in body
    assert page(client, stranger, "guarantees:program", funded.pk).status_code == 404
    assert page(client, stranger, "guarantees:guarantee", issued.pk).status_code == 404
    assert page(client, stranger, "guarantees:earmark_new").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, issued):
    response = client.get(reverse("guarantees:overview"))
    assert response.status_code == 302


def test_auditor_sees_the_whole_pool(client, auditor, issued, funded):
    assert page(client, auditor, "guarantees:guarantee", issued.pk).status_code == 200
    body = page(client, auditor, "guarantees:utilisation").content.decode()
    assert "1조 7,000억 원" in body


def test_finance_officer_earmarks_a_contribution_through_the_form(client, member_a, program, wwfp, org_a):
    contribution = confirm(wwfp, org_a, 20_000_000)
    form = page(client, member_a, "guarantees:earmark_new")
    key = form.context["form"].initial["idempotency_key"]

    response = client.post(reverse("guarantees:earmark_new"),
                           {"contribution": contribution.pk, "program": program.pk, "idempotency_key": key})
    again = client.post(reverse("guarantees:earmark_new"),
                        {"contribution": contribution.pk, "program": program.pk, "idempotency_key": key})

    assert response.status_code == 302
    assert again.status_code == 200  # the contribution is no longer offered: the form says so
    assert Earmark.objects.filter(contribution=contribution, program=program).count() == 1


def test_a_viewer_has_no_earmark_form(client, viewer_a, program):
    assert page(client, viewer_a, "guarantees:earmark_new").status_code == 404


def test_the_portal_navigation_links_the_pool(client, member_a, program):
    body = page(client, member_a, "portal:dashboard").content.decode()
    assert f'href="{reverse("guarantees:overview")}"' in body
