"""The full lists behind the dashboard: every contribution and receipt of the user's organisations, filtered and
paginated, never another company's; and the form's designated uses labelled with the funds they belong to."""

from datetime import date

import pytest

from apps.contributions.models import DesignatedUse
from apps.contributions.services import contribution_confirm

pytestmark = pytest.mark.django_db

LIST = "/portal/contributions/"
RECEIPTS = "/portal/receipts/"


@pytest.fixture
def thirty(submit, fund_admin):
    """Thirty contributions of company A, the first twelve confirmed (with receipts)."""
    made = [submit(amount=1_000_000 * (n + 1), contribution_date=date(2026, 1 + n % 12, 1 + n % 28),
                   idempotency_key=f"list-{n}") for n in range(30)]
    for contribution in made[:12]:
        contribution_confirm(actor=fund_admin, contribution=contribution)
    return made


@pytest.mark.parametrize("url", [LIST, RECEIPTS])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302 and response["Location"] == f"/portal/login/?next={url}"


def test_the_dashboard_shows_the_ten_latest_and_links_to_the_full_list(client_as, member_a, thirty):
    html = client_as(member_a).get("/portal/").content.decode()

    assert html.count('href="/portal/contributions/') - html.count('href="/portal/contributions/new/') == 10 + 1
    assert 'href="/portal/contributions/"' in html and 'href="/portal/receipts/"' in html


def test_the_list_pages_through_every_contribution_25_at_a_time(client_as, member_a, thirty):
    client = client_as(member_a)
    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert first.context["page"].paginator.count == 30
    assert len(first.context["contributions"]) == 25 and len(second.context["contributions"]) == 5
    shown = {c.pk for c in first.context["contributions"]} | {c.pk for c in second.context["contributions"]}
    assert shown == {c.pk for c in thirty}
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client_as, member_a, thirty):
    response = client_as(member_a).get(LIST, {"page": 99})

    assert response.status_code == 200 and response.context["page"].number == 2


def test_filters_narrow_the_list_and_survive_paging(client_as, member_a, thirty):
    client = client_as(member_a)

    confirmed = client.get(LIST, {"status": "confirmed"})
    march = client.get(LIST, {"year": 2026, "fund": "wwcf"})
    nothing = client.get(LIST, {"fund": "relief"})

    assert confirmed.context["page"].paginator.count == 12
    assert all(c.status == "confirmed" for c in confirmed.context["contributions"])
    assert march.context["page"].paginator.count == 30
    assert nothing.context["page"].paginator.count == 0
    assert "fund=wwcf" in march.content.decode()  # the next page keeps the filters


def test_confirmed_rows_show_their_tax_credit(client_as, member_a, thirty):
    rows = client_as(member_a).get(LIST, {"status": "confirmed"}).context["contributions"]

    assert all(c.credit_line.credit == c.amount // 10 for c in rows)


def test_another_company_sees_none_of_them(client_as, member_b, thirty):
    client = client_as(member_b)

    assert client.get(LIST).context["page"].paginator.count == 0
    assert client.get(RECEIPTS).context["page"].paginator.count == 0


def test_the_receipt_list_shows_every_receipt(client_as, member_a, thirty):
    response = client_as(member_a).get(RECEIPTS)

    assert response.context["page"].paginator.count == 12
    assert all(r.contribution.organization.name_ko == "한빛전자" for r in response.context["receipts"])


def test_each_designated_use_names_the_funds_it_is_open_for(client_as, member_a, uses):
    html = client_as(member_a).get("/portal/contributions/new/").content.decode()

    use = DesignatedUse.objects.filter(code="technology_cooperation").latest("valid_from")
    funds = " ".join(str(pk) for pk in sorted(use.funds.values_list("pk", flat=True)))
    assert f'data-funds="{funds}" value="technology_cooperation"' in html or \
        f'value="technology_cooperation" data-funds="{funds}"' in html
