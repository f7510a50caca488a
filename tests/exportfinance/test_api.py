"""The export-finance API: who may read and write what, Idempotency-Key on creation, 404 for another company's
records, 403 for auditors' writes, and the fields a client acts on."""

import pytest

from apps.exportfinance import services
from apps.exportfinance.models import Disbursement, ProfitReport

from .conftest import make_project, report

BASE = "/api/v1/export-finance"


@pytest.fixture
def books(sef, org_a, org_b, rule):
    """A project for each company, each disbursed and reported, company A's share assessed."""
    a, b = make_project(org_a, name="A project"), make_project(org_b, name="B project")
    for p in (a, b):
        services.disbursement_post(actor="test", project=p, amount=1_000_000, effective_date=p.start_date,
                                   idempotency_key=f"d-{p.pk}")
    share = services.profit_share_assess(actor="test", report=report(a, 10_000_000))
    services.profit_share_assess(actor="test", report=report(b, 5_000_000))
    return {"a": a, "b": b, "share": share}


LISTS = ["projects", "disbursements", "repayments", "profit-reports", "shares"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*LISTS, "rules"])
def test_anonymous_callers_are_refused(api, books, path):
    assert api.get(f"{BASE}/{path}/").status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("path", LISTS)
def test_a_member_sees_only_their_companys_records(api_as, books, member_a, path):
    rows = api_as(member_a).get(f"{BASE}/{path}/").json()["results"]
    projects = {row["id"] if path == "projects" else row["project"] for row in rows}
    assert projects <= {books["a"].pk}


@pytest.mark.django_db
def test_another_companys_records_answer_404(api_as, books, member_a):
    client = api_as(member_a)
    b = books["b"]
    assert client.get(f"{BASE}/projects/{b.pk}/").status_code == 404
    assert client.get(f"{BASE}/disbursements/{Disbursement.objects.get(project=b).pk}/").status_code == 404
    assert client.get(f"{BASE}/profit-reports/{ProfitReport.objects.get(project=b).pk}/").status_code == 404
    assert client.get(f"{BASE}/shares/{b.profit_shares.get().pk}/").status_code == 404
    assert client.get(f"{BASE}/projects/{books['a'].pk}/").json()["outstanding"] == 1_000_000


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*LISTS, "rules"])
def test_administrators_and_auditors_read_everything(api_as, books, fund_admin, auditor, path):
    for user in (fund_admin, auditor):
        assert api_as(user).get(f"{BASE}/{path}/").status_code == 200


@pytest.mark.django_db
def test_members_cannot_read_the_rules(api_as, books, member_a):
    assert api_as(member_a).get(f"{BASE}/rules/").status_code == 403


@pytest.mark.django_db
def test_an_administrator_opens_and_disburses_a_project_once_per_key(api_as, books, fund_admin, org_a):
    client = api_as(fund_admin)
    created = client.post(f"{BASE}/projects/", {"beneficiary": org_a.pk, "name": "원전 수출", "financing_type": "loan",
                                                "committed": "500000000", "term_months": 36,
                                                "start_date": "2025-01-02"}, format="json")
    assert created.status_code == 201, created.json()
    url = f"{BASE}/projects/{created.json()['id']}/disburse/"
    body = {"amount": 200_000_000, "effective_date": "2025-02-03"}
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert client.get(f"{BASE}/projects/{created.json()['id']}/").json()["disbursed_total"] == 200_000_000
    over = client.post(url, {"amount": 300_000_001, "effective_date": "2025-02-03"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="k2")
    assert (over.status_code, over.json()["field"], over.json()["code"]) == (409, "amount", "commitment_exceeded")
    assert client.post(url, body, format="json").json()["field"] == "idempotency_key"
    repaid = client.post(f"{BASE}/projects/{created.json()['id']}/repay/", {"amount": 1, "effective_date":
                         "2025-03-03"}, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    assert repaid.status_code == 201


@pytest.mark.django_db
def test_auditors_and_members_cannot_write(api_as, books, auditor, member_a, org_a):
    a = books["a"]
    for user in (auditor, member_a):
        client = api_as(user)
        assert client.post(f"{BASE}/projects/", {}, format="json").status_code == 403
        assert client.post(f"{BASE}/projects/{a.pk}/disburse/", {"amount": 1, "effective_date": "2025-02-03"},
                           format="json", HTTP_IDEMPOTENCY_KEY="x").status_code == 403
        assert client.post(f"{BASE}/projects/{a.pk}/repay/", {"amount": 1, "effective_date": "2025-02-03"},
                           format="json", HTTP_IDEMPOTENCY_KEY="y").status_code == 403
        assert client.post(f"{BASE}/shares/{books['share'].pk}/receive/", {}, format="json").status_code == 403
        assert client.post(f"{BASE}/shares/{books['share'].pk}/settle/", {}, format="json").status_code == 403
        assert client.post(f"{BASE}/rules/", {}, format="json").status_code in (403, 405)
    assert api_as(auditor).post(f"{BASE}/profit-reports/", {}, format="json").status_code == 403


@pytest.mark.django_db
def test_a_finance_officer_files_a_report_once_per_key_and_corrects_it_with_a_reason(
        api_as, books, member_a, django_capture_on_commit_callbacks):
    client, a = api_as(member_a), books["a"]
    body = {"project": a.pk, "year": 2025, "period": "H2", "operating_profit": "20000000", "net_profit": 15_000_000}
    with django_capture_on_commit_callbacks(execute=True):  # the recycling task runs as the report commits
        first = client.post(f"{BASE}/profit-reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="rep-1")
    again = client.post(f"{BASE}/profit-reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="rep-1")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    share = client.get(f"{BASE}/shares/", {"project": a.pk, "year": 2025}).json()["results"]
    assert {(s["period"], s["amount_due"]) for s in share} == {("H1", 1_000_000), ("H2", 2_000_000)}
    twice = client.post(f"{BASE}/profit-reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="rep-2")
    assert (twice.status_code, twice.json()["field"]) == (409, "reason")
    fixed = client.post(f"{BASE}/profit-reports/", {**body, "reason": "재작성"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="rep-3")
    assert fixed.status_code == 201 and fixed.json()["supersedes"] == first.json()["id"]
    assert client.post(f"{BASE}/profit-reports/", body, format="json").json()["field"] == "idempotency_key"


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), [
    ({"period": "H3"}, "period"), ({"operating_profit": 1.5}, "operating_profit"), ({"year": 1999}, "year")])
def test_a_bad_report_names_the_field(api_as, books, member_a, change, field):
    body = {"project": books["a"].pk, "year": 2025, "period": "H2", "operating_profit": 1, "net_profit": 1, **change}
    answer = api_as(member_a).post(f"{BASE}/profit-reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="bad")
    assert (answer.status_code, answer.json()["field"]) == (400, field)


@pytest.mark.django_db
def test_a_report_for_another_companys_project_is_refused(api_as, books, member_a, member_b, viewer_a):
    body = {"project": books["b"].pk, "year": 2025, "period": "H2", "operating_profit": 1, "net_profit": 1}
    answer = api_as(member_a).post(f"{BASE}/profit-reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="x")
    assert (answer.status_code, answer.json()["field"]) == (400, "project")
    viewer = api_as(viewer_a).post(f"{BASE}/profit-reports/", {**body, "project": books["a"].pk}, format="json",
                                   HTTP_IDEMPOTENCY_KEY="y")
    assert viewer.status_code == 403


@pytest.mark.django_db
def test_an_administrator_records_a_receipt_and_sees_what_was_channelled(api_as, books, fund_admin):
    answer = api_as(fund_admin).post(f"{BASE}/shares/{books['share'].pk}/receive/", {"effective_date": "2025-09-30"},
                                     format="json")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["status"], body["received"], body["channelled"], body["retained"]) == (
        "channelled", 1_000_000, 500_000, 500_000)
    assert body["channel_source_entry"] and body["channel_target_entry"]
    settled = api_as(fund_admin).post(f"{BASE}/shares/{books['share'].pk}/settle/", {}, format="json")
    assert settled.status_code == 200 and settled.json()["settled_on"]


@pytest.mark.django_db
def test_anonymous_callers_cannot_write(api, books):
    a = books["a"]
    for path in ("projects/", f"projects/{a.pk}/disburse/", f"projects/{a.pk}/repay/", "profit-reports/",
                 f"shares/{books['share'].pk}/receive/"):
        assert api.post(f"{BASE}/{path}", {}, format="json", HTTP_IDEMPOTENCY_KEY="x").status_code in (401, 403)


@pytest.mark.django_db
def test_another_companys_project_cannot_be_moved_by_guessing_its_id(api_as, books, member_a, fund_admin):
    b = books["b"]
    answer = api_as(member_a).post(f"{BASE}/projects/{b.pk}/repay/", {"amount": 1, "effective_date": "2025-02-03"},
                                   format="json", HTTP_IDEMPOTENCY_KEY="guess")
    assert answer.status_code == 404
    assert api_as(fund_admin).get(f"{BASE}/projects/{b.pk}/").json()["repaid_total"] == 0


def test_every_endpoint_is_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    ours = {p for p in paths if p.startswith(f"{BASE}/")}
    assert {f"{BASE}/{name}/" for name in (*LISTS, "rules")} <= ours
    assert {f"{BASE}/projects/{{id}}/disburse/", f"{BASE}/projects/{{id}}/repay/",
            f"{BASE}/shares/{{id}}/receive/", f"{BASE}/shares/{{id}}/settle/"} <= ours
    assert "post" in paths[f"{BASE}/profit-reports/"]
    assert any(p["name"] == "Idempotency-Key" for p in paths[f"{BASE}/profit-reports/"]["post"]["parameters"])


@pytest.mark.django_db
def test_a_disbursement_or_repayment_dated_in_a_closed_year_is_a_409_and_moves_nothing(api_as, books, fund_admin,
                                                                                       sef):
    from apps.funds import chart
    from apps.funds.selectors import fund_account
    from apps.ledger.services import period_close

    period_close(actor=fund_admin, ledger=sef.ledger, year=2025,
                 net_assets_account=fund_account(sef, chart.UNRESTRICTED_NET_ASSETS))
    client, a = api_as(fund_admin), books["a"]
    for action in ("disburse", "repay"):
        refused = client.post(f"{BASE}/projects/{a.pk}/{action}/", {"amount": 1_000, "effective_date": "2025-06-02"},
                              format="json", HTTP_IDEMPOTENCY_KEY=f"closed-{action}")
        assert (refused.status_code, refused.json()["code"]) == (409, "period_closed"), refused.json()
    detail = client.get(f"{BASE}/projects/{a.pk}/").json()
    assert (detail["disbursed_total"], detail["repaid_total"]) == (1_000_000, 0)
    assert not Disbursement.objects.filter(idempotency_key="closed-disburse").exists()
