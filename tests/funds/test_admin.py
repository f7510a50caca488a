"""The funds in the back office: listed with target, raised and share; progress shown read-only; never added or
deleted here."""

from datetime import date

import pytest
from django.urls import reverse

from apps.core.demo import grant_role_permissions
from apps.funds.models import Fund

from .conftest import contribute

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def role_permissions(db):
    grant_role_permissions()


@pytest.fixture
def raised(wwcf):
    contribute(wwcf, 150_000_000_000, party="org:samsung-electronics", use="culture", day=date(2026, 4, 1))
    contribute(wwcf, 75_000_000_000, party="org:kb-financial", day=date(2027, 4, 1))
    return wwcf


@pytest.mark.parametrize("who", ["fund_admin", "auditor", "admin_user"])
def test_the_fund_list_shows_target_raised_and_share(client, raised, who, request):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("admin:funds_fund_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "1조 5,000억 원" in page and "1조 7,000억 원" in page  # the two targets
    assert "2,250억 원" in page and "15.00%" in page  # raised and share of the win-win cooperation fund
    assert "대·중소기업·농어업협력재단" in page


def test_the_fund_page_shows_progress_by_year_and_contributor(client, fund_admin, raised):
    client.force_login(fund_admin)

    page = client.get(reverse("admin:funds_fund_change", args=[raised.pk])).content.decode()

    assert "2026" in page and "2027" in page
    assert "org:samsung-electronics" in page and "1,500억 원" in page
    assert "org:kb-financial" in page and "750억 원" in page


def test_a_fund_administrator_edits_a_target(client, fund_admin, funds):
    client.force_login(fund_admin)
    sef = funds["sef"]
    form = {
        "name_ko": sef.name_ko, "name_en": sef.name_en, "description": sef.description, "is_active": "on",
        "managing_institution_ko": sef.managing_institution_ko, "managing_institution_en": sef.managing_institution_en,
        "target_amount": "3000000000000", "target_start_year": "2026", "target_end_year": "2028",
    }

    response = client.post(reverse("admin:funds_fund_change", args=[sef.pk]), form)

    assert response.status_code == 302
    sef.refresh_from_db()
    assert (sef.target_amount, sef.target_start_year, sef.target_end_year) == (3_000_000_000_000, 2026, 2028)


def test_funds_are_never_added_or_deleted_in_the_back_office(client, admin_user, funds):
    client.force_login(admin_user)
    wwcf = funds["wwcf"]

    assert client.get(reverse("admin:funds_fund_add")).status_code == 403
    assert client.post(reverse("admin:funds_fund_delete", args=[wwcf.pk]), {"post": "yes"}).status_code == 403
    assert Fund.objects.filter(pk=wwcf.pk).exists()


def test_an_auditor_reads_but_cannot_change_a_fund(client, auditor, funds):
    client.force_login(auditor)
    url = reverse("admin:funds_fund_change", args=[funds["wwfp"].pk])

    assert client.get(url).status_code == 200
    client.post(url, {"name_ko": "바뀜", "target_amount": "1"})
    assert Fund.objects.get(code="wwfp").target_amount == 1_700_000_000_000
