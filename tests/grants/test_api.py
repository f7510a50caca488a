"""The grants API: every endpoint's permissions (anonymous, another company, the lead, the SME, an auditor, a fund
administrator), idempotent creation, and refusals that name the cap and the room."""

import pytest

from apps.funds import chart
from apps.funds.selectors import fund_account
from apps.grants import services
from apps.grants.models import Award, ExpansionProject, Tranche
from apps.ledger import services as ledger

from .conftest import BN, D

PROJECTS, AWARDS, TRANCHES = "/api/v1/grants/projects/", "/api/v1/grants/awards/", "/api/v1/grants/tranches/"


@pytest.fixture
def paid(project, award):
    granted = award(BN)
    services.tranche_pay(actor="test", award=granted, amount=BN // 4, paid_date=D, idempotency_key="t1")
    return granted


def _proposal(org_a, org_b, **overrides):
    return {"lead": org_a.pk, "title": "미국 배터리 공동진출", "country": "US", "total_cost": "10000000000",
            "start_date": "2026-04-01", "end_date": "2028-03-31", "participants": [org_b.pk], **overrides}


def test_anonymous_gets_nothing(api, paid):
    tranche = paid.tranches.get()
    for url in (PROJECTS, AWARDS, TRANCHES, f"{PROJECTS}{paid.project_id}/", f"{AWARDS}{paid.pk}/",
                f"{TRANCHES}{tranche.pk}/"):
        assert api.get(url).status_code in (401, 403)
    for url in (PROJECTS, AWARDS, f"{PROJECTS}{paid.project_id}/approve/", f"{PROJECTS}{paid.project_id}/reject/",
                f"{AWARDS}{paid.pk}/cancel/", f"{AWARDS}{paid.pk}/pay/"):
        assert api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code in (401, 403)


def test_another_companys_member_sees_none_of_it(api_as, paid, django_user_model):
    from tests.organizations.factories import MembershipFactory, OrganizationFactory

    stranger = django_user_model.objects.create_user("stranger", password="pw")
    MembershipFactory(user=stranger, organization=OrganizationFactory())
    client = api_as(stranger)
    assert client.get(PROJECTS).json()["count"] == 0
    assert client.get(AWARDS).json()["count"] == 0
    assert client.get(TRANCHES).json()["count"] == 0
    assert client.get(f"{PROJECTS}{paid.project_id}/").status_code == 404
    assert client.get(f"{AWARDS}{paid.pk}/").status_code == 404
    assert client.get(f"{TRANCHES}{paid.tranches.get().pk}/").status_code == 404
    assert client.post(f"{PROJECTS}{paid.project_id}/approve/").status_code == 404
    assert client.post(f"{AWARDS}{paid.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert client.post(f"{AWARDS}{paid.pk}/pay/", {"amount": 1, "paid_date": "2026-03-02"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="x").status_code == 404


def test_the_sme_sees_its_award_with_tranches_and_remaining(api_as, paid, member_b):
    body = api_as(member_b).get(f"{AWARDS}{paid.pk}/").json()
    assert (body["amount"], body["paid"], body["remaining"]) == (BN, BN // 4, BN * 3 // 4)
    assert [t["amount"] for t in body["tranches"]] == [BN // 4]
    assert api_as(member_b).get(f"{PROJECTS}{paid.project_id}/").status_code == 200


def test_the_other_sme_of_the_project_does_not_see_this_award(api_as, paid, member_c):
    assert api_as(member_c).get(f"{AWARDS}{paid.pk}/").status_code == 404


def test_the_lead_proposes_with_an_idempotency_key(api_as, cash, org_a, org_b, member_a):
    client = api_as(member_a)
    first = client.post(PROJECTS, _proposal(org_a, org_b), format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == 201, first.json()
    again = client.post(PROJECTS, _proposal(org_a, org_b), format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    assert ExpansionProject.objects.count() == 1
    assert first.json()["history"][0]["to_status"] == "proposed"
    other = client.post(PROJECTS, _proposal(org_a, org_b, total_cost=1), format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_conflict")


def test_a_proposal_without_a_key_or_with_bad_input_names_the_field(api_as, cash, org_a, org_b, member_a):
    client = api_as(member_a)
    assert client.post(PROJECTS, _proposal(org_a, org_b), format="json").json()["field"] == "idempotency_key"
    bad = client.post(PROJECTS, _proposal(org_a, org_b, country="KR"), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert (bad.status_code, bad.json()["field"]) == (400, "country")
    float_cost = client.post(PROJECTS, _proposal(org_a, org_b, total_cost=1.5), format="json",
                             HTTP_IDEMPOTENCY_KEY="k2")
    assert (float_cost.status_code, float_cost.json()["field"]) == (400, "total_cost")


def test_smes_and_auditors_cannot_propose(api_as, cash, org_a, org_b, member_b, auditor):
    for user in (member_b, auditor):
        response = api_as(user).post(PROJECTS, _proposal(org_a, org_b), format="json", HTTP_IDEMPOTENCY_KEY="p")
        assert response.status_code == 403


def test_only_fund_administrators_decide_award_cancel_and_pay(api_as, propose, paid, org_b, member_a, auditor,
                                                              fund_admin):
    proposed = propose(approve=False)
    award_body = {"project": paid.project_id, "sme": org_b.pk, "amount": 1, "award_date": "2026-03-02"}
    for user in (member_a, auditor):
        client = api_as(user)
        assert client.post(f"{PROJECTS}{proposed.pk}/approve/").status_code == 403
        assert client.post(f"{PROJECTS}{proposed.pk}/reject/", {"reason": "x"}).status_code == 403
        assert client.post(AWARDS, award_body, format="json", HTTP_IDEMPOTENCY_KEY="a").status_code == 403
        assert client.post(f"{AWARDS}{paid.pk}/cancel/", {"reason": "x"}).status_code == 403
        assert client.post(f"{AWARDS}{paid.pk}/pay/", {"amount": 1, "paid_date": "2026-03-02"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="x").status_code == 403
    admin = api_as(fund_admin)
    assert admin.post(f"{PROJECTS}{proposed.pk}/approve/").json()["status"] == "approved"
    created = admin.post(AWARDS, award_body, format="json", HTTP_IDEMPOTENCY_KEY="a")
    assert created.status_code == 201, created.json()
    cancelled = admin.post(f"{AWARDS}{created.json()['id']}/cancel/", {"reason": "중복 신청"}, format="json")
    assert cancelled.json()["status"] == "cancelled"


def test_auditors_read_everything(api_as, paid, auditor):
    client = api_as(auditor)
    assert client.get(PROJECTS).json()["count"] == 1
    assert client.get(f"{AWARDS}{paid.pk}/").status_code == 200
    assert client.get(TRANCHES).json()["count"] == 1


def test_a_tranche_paid_twice_with_one_key_pays_once(api_as, paid, fund_admin):
    client = api_as(fund_admin)
    body = {"amount": BN // 4, "paid_date": "2026-04-01"}
    first = client.post(f"{AWARDS}{paid.pk}/pay/", body, format="json", HTTP_IDEMPOTENCY_KEY="pay-2")
    again = client.post(f"{AWARDS}{paid.pk}/pay/", body, format="json", HTTP_IDEMPOTENCY_KEY="pay-2")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Tranche.objects.filter(award=paid).count() == 2
    assert client.post(f"{AWARDS}{paid.pk}/pay/", body, format="json").json()["field"] == "idempotency_key"


def test_an_award_over_the_cap_is_refused_with_the_room(api_as, project, award, org_b, fund_admin):
    award(1_800_000_000)
    response = api_as(fund_admin).post(AWARDS, {"project": project.pk, "sme": org_b.pk, "amount": 300_000_000,
                                                "award_date": "2026-03-02"}, format="json",
                                       HTTP_IDEMPOTENCY_KEY="over", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json() == {"code": "cap_exceeded", "field": "amount", "detail": (
        "United States cap per SME over 3 years: ₩2,000,000,000; already awarded ₩1,800,000,000; "
        "room ₩200,000,000")}
    assert Award.objects.count() == 1


def test_lists_filter_by_country_status_and_year(api_as, propose, paid, fund_admin):
    propose(country="VN", approve=False)
    client = api_as(fund_admin)
    assert client.get(PROJECTS, {"country": "vn"}).json()["count"] == 1
    assert client.get(PROJECTS, {"status": "approved", "year": 2026}).json()["count"] == 1
    assert client.get(AWARDS, {"country": "US", "status": "approved"}).json()["count"] == 1
    assert client.get(AWARDS, {"year": 2025}).json()["count"] == 0
    assert client.get(TRANCHES, {"award": paid.pk}).json()["count"] == 1


def test_a_refusal_speaks_korean_by_default(api_as, project, award, org_b, fund_admin):
    award(1_800_000_000)
    response = api_as(fund_admin).post(AWARDS, {"project": project.pk, "sme": org_b.pk, "amount": 300_000_000,
                                                "award_date": "2026-03-02"}, format="json",
                                       HTTP_IDEMPOTENCY_KEY="over", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.json()["detail"] == ("미국 진출 기업당 3년간 지원 한도: ₩2,000,000,000, "
                                         "기존 지원 결정 ₩1,800,000,000, 잔여 한도 ₩200,000,000")


def test_a_tranche_into_a_closed_year_answers_409_naming_the_date(api_as, paid, cash, fund_admin):
    ledger.period_close(actor="test", ledger=cash.ledger, year=2026,
                        net_assets_account=fund_account(cash, chart.UNRESTRICTED_NET_ASSETS))
    response = api_as(fund_admin).post(f"{AWARDS}{paid.pk}/pay/", {"amount": BN // 4, "paid_date": "2026-04-01"},
                                       format="json", HTTP_IDEMPOTENCY_KEY="closed")

    assert response.status_code == 409, response.json()
    assert (response.json()["code"], response.json()["field"]) == ("period_closed", "effective_date")
    assert Tranche.objects.filter(award=paid).count() == 1
