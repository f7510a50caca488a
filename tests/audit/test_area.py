"""The auditors' area and the trail's API and admin: only auditors and fund administrators get in, nobody writes
through them, and the searches find what an auditor looks for."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.money import krw
from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.ledger import services as ledger
from apps.ledger.models import VerificationRun
from apps.ledger.services import credit, debit
from apps.organizations.models import Organization

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "member_a", "auditor", "fund_admin"]
ALLOWED = {"auditor", "fund_admin"}


@pytest.fixture
def books(wwcf):
    """Two entries in the win-win cooperation fund, the first reversed, and one verification run."""
    cash, revenue = fund_account(wwcf, chart.CASH), fund_account(wwcf, chart.CONTRIBUTION_REVENUE)
    first = ledger.entry_post(actor="test", ledger=wwcf.ledger, effective_date=date(2026, 3, 2), memo="출연금 입금",
                              reference="contribution:1",
                              lines=[debit(cash, krw(7_000_000)), credit(revenue, krw(7_000_000), party="org:1")])
    ledger.entry_reverse(actor="test", entry=first, effective_date=date(2026, 3, 5))
    second = ledger.entry_post(actor="test", ledger=wwcf.ledger, effective_date=date(2026, 4, 1), memo="second gift",
                               reference="contribution:2",
                               lines=[debit(cash, krw(3_000_000)), credit(revenue, krw(3_000_000), party="org:2")])
    from apps.ledger.verification import verify

    verify(actor_label="test")
    return {"fund": wwcf, "first": first, "second": second, "cash": cash}


def signed_in(request, client, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


def pages(books):
    return ["/auditor/", f"/auditor/funds/{books['fund'].code}/", "/auditor/entries/",
            f"/auditor/entries/{books['first'].pk}/", "/auditor/trail/",
            f"/auditor/trail/{AuditEvent.objects.latest('id').pk}/", "/auditor/verification/"]


@pytest.mark.parametrize("who", PEOPLE)
def test_only_auditors_and_fund_administrators_see_the_area(request, client, books, org_a, member_a, who):
    client = signed_in(request, client, who)
    for url in pages(books):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/login/" in response["Location"], url
        elif who in ALLOWED:
            assert response.status_code == 200, url
            assert "<html lang=\"ko\"" in response.content.decode(), url
        else:
            assert response.status_code == 403, url


def test_the_fund_page_shows_each_account_with_its_balance(client, auditor, books):
    client.force_login(auditor)
    html = client.get(f"/auditor/funds/{books['fund'].code}/").content.decode()
    assert "3,000,000" in html and "300만 원" in html  # cash after the reversal: 7m in, 7m out, 3m in
    assert "현금" in html or books["cash"].name_ko in html


def test_entries_are_filtered_by_fund_dates_reference_text_and_reversal(client, auditor, books):
    client.force_login(auditor)
    first, second = books["first"], books["second"]

    def ids(**query):
        response = client.get("/auditor/entries/", query)
        assert response.status_code == 200
        return {e.pk for e in response.context["page"]}

    everything = ids()
    assert {first.pk, second.pk} <= everything and len(everything) == 3
    assert ids(fund=books["fund"].pk, date_from="2026-04-01") == {second.pk}
    assert ids(date_to="2026-03-02") == {first.pk}
    assert ids(reference="contribution:2") == {second.pk}
    assert ids(q="출연금") == {first.pk}
    assert ids(q="org:2") == {second.pk}
    assert ids(reversed="yes") == {first.pk}
    assert ids(reversed="no") == {second.pk}
    assert ids(reversed="reversal") == everything - {first.pk, second.pk}
    assert ids(account=books["cash"].pk) == everything


def test_an_entry_shows_its_lines_its_seal_and_its_reversal(client, auditor, books):
    from django.core.management import call_command

    call_command("ledger_seal", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(auditor)
    html = client.get(f"/auditor/entries/{books['first'].pk}/").content.decode()
    assert "7,000,000" in html and "org:1" in html
    assert f"{2026}-000001" in html  # its gapless number in the seal
    assert "역분개" in html or "Reversed" in html


def test_the_verification_page_shows_the_last_run_per_ledger(client, auditor, books):
    VerificationRun.objects.create(finished_at=timezone.now(), ok=False, actor_label="night",
                                   problems=["ledger wwcf, account 1110: stored totals differ"])
    client.force_login(auditor)
    response = client.get("/auditor/verification/")
    findings = {f.ledger.code: f.problems for f in response.context["summary"].ledgers}
    assert findings["wwcf"] == ["ledger wwcf, account 1110: stored totals differ"]
    assert all(not problems for code, problems in findings.items() if code != "wwcf")


@pytest.mark.parametrize("who", PEOPLE)
def test_only_a_fund_administrator_may_start_a_verification(request, client, books, member_a, who,
                                                            django_capture_on_commit_callbacks):
    client = signed_in(request, client, who)
    runs = VerificationRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/auditor/verification/run/")
    if who == "fund_admin":
        assert response.status_code == 302
        assert VerificationRun.objects.count() == runs + 1  # eager here; a worker's task in production
        assert VerificationRun.objects.latest("started_at").actor_label == "admin1"
    else:
        assert response.status_code in (302, 403) and VerificationRun.objects.count() == runs
        if who != "anonymous":
            assert response.status_code == 403


def test_the_trail_is_searched_by_table_action_actor_text_and_day(client, auditor, org_a, org_b):
    Organization.objects.filter(pk=org_b.pk).update(name_en="Saessak Precision Ltd")
    client.force_login(auditor)

    def found(**query):
        response = client.get("/auditor/trail/", query)
        assert response.status_code == 200
        return [(e.table_name, e.object_id, e.action) for e in response.context["page"]]

    table = "organizations_organization"
    assert found(table=table, action="update") == [(table, str(org_b.pk), "update")]
    assert found(q="Precision Ltd") == [(table, str(org_b.pk), "update")]
    assert set(found(table=table, object_id=str(org_a.pk))) == {(table, str(org_a.pk), "insert")}
    assert found(actor="nobody-like-this") == []
    today = timezone.localdate()
    assert found(table=table, date_from=today + timedelta(days=1)) == []
    assert len(found(table=table, date_from=today, date_to=today)) == 3


@pytest.mark.parametrize("who", PEOPLE)
def test_the_trail_api_is_for_auditors_and_fund_administrators(request, api, org_a, member_a, who):
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    response = api.get("/api/v1/audit/events/", {"table": "organizations_organization"})
    event = AuditEvent.objects.filter(table_name="organizations_organization").latest("id")
    if who in ALLOWED:
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [r["object_id"] for r in rows] == [str(org_a.pk)]
        assert rows[0]["after"]["name_ko"] == "한빛전자"
        assert api.get(f"/api/v1/audit/events/{event.pk}/").status_code == 200
        assert api.delete(f"/api/v1/audit/events/{event.pk}/").status_code in (403, 405)
        assert api.post("/api/v1/audit/events/", {}).status_code in (403, 405)
    else:
        assert response.status_code in (401, 403)
        assert api.get(f"/api/v1/audit/events/{event.pk}/").status_code in (401, 403)


def test_the_trail_api_refuses_a_bad_query_naming_the_field(api, auditor):
    api.force_authenticate(auditor)
    response = api.get("/api/v1/audit/events/", {"date_from": "yesterday"})
    assert response.status_code == 400 and response.json()["field"] == "date_from"


@pytest.mark.parametrize("who", PEOPLE)
def test_the_back_office_trail_is_read_only_and_for_auditors(request, client, org_a, member_a, who):
    client = signed_in(request, client, who)
    event = AuditEvent.objects.filter(table_name="organizations_organization").latest("id")
    listing = client.get("/admin/audit/auditevent/", {"table_name": "organizations_organization"})
    detail = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    if who in ALLOWED:
        assert listing.status_code == 200 and detail.status_code == 200
        assert "Hanbit Electronics" in detail.content.decode()
        assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
        assert AuditEvent.objects.filter(pk=event.pk).exists()
    else:
        assert listing.status_code in (302, 403) and detail.status_code in (302, 403)


def test_the_back_office_search_finds_a_text_in_the_values_and_filters_by_actor(client, auditor, org_a, org_b):
    client.force_login(auditor)
    response = client.get("/admin/audit/auditevent/", {"q": "Saessak"})
    assert response.status_code == 200
    found = list(response.context["cl"].result_list)
    assert {(e.table_name, e.object_id) for e in found} == {("organizations_organization", str(org_b.pk))}
    by_actor = client.get("/admin/audit/auditevent/",
                          {"actor_label": "system", "table_name": "organizations_organization"})
    assert len(by_actor.context["cl"].result_list) == 2
