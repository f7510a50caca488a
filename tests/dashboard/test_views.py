"""The back office's home and the contributor's figures on the portal, and who sees them."""

import pytest
from django.urls import reverse

from apps.dashboard.cards import Card


def test_a_fund_administrator_sees_every_funds_figures(client, books, fund_admin):
    client.force_login(fund_admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="fund-panels"' in html
    assert "상생협력기금" in html
    assert "4억 5,000만 원" in html  # wwcf's cash
    assert "8억 원" in html  # matching budget left
    assert "3,000만 원" in html  # encumbered
    assert 'class="chart"' in html and "data-value" in html
    assert "월별 모금액 (백만원)" in html  # 400 m in March reads as 400 in millions
    assert 'id="recent-entries"' in html
    assert reverse("statements:index") in html


def test_an_auditor_sees_them_too(client, books, auditor):
    client.force_login(auditor)
    assert 'id="fund-panels"' in client.get(reverse("admin:index")).content.decode()


def test_other_staff_see_only_the_app_list(client, books, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(clerk)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200 and 'id="fund-panels"' not in response.content.decode()


def test_the_home_renders_the_rooms_cards(client, books, fund_admin, monkeypatch):
    cards = [Card(title="동반진출 지원", fund="wwcf", used=500_000_000, limit=2_000_000_000),
             Card(title="보증연계 공통", fund="", used=7_000_000)]
    monkeypatch.setattr("apps.dashboard.views.program_cards", lambda user: cards)
    client.force_login(fund_admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert "동반진출 지원" in html and "5억 원 / 20억 원" in html
    assert 'id="other-programs"' in html and "보증연계 공통" in html  # a card of no fund is not lost


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.parametrize("username", ["member_a", "viewer_a"])
def test_a_member_sees_its_own_figures_on_the_portal(client, books, member_a, viewer_a, username):
    client.force_login(member_a if username == "member_a" else viewer_a)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "contributor-figures" in html
    assert "<svg" in html
    assert "6,000만 원" in html  # the tax credit
    assert "2억 원" in html  # matching obtained


def test_another_companys_member_does_not_see_them(client, books, member_b, org_a):
    client.force_login(member_b)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert f'data-organization="{org_a.pk}"' not in html
    assert "5,000만 원" in html  # its own contribution


def test_a_company_member_never_reaches_the_back_office(client, books, member_a):
    client.force_login(member_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
