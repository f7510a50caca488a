"""The pool's API under /api/v1/guarantees/: scoped reads (another company's record is 404), auditors read only,
writes with an Idempotency-Key, refusals that name the field and the room left."""

import pytest

from apps.guarantees import services
from apps.guarantees.models import Earmark, Guarantee, GuaranteeTransfer
from apps.organizations.models import MembershipRole, SizeClass
from tests.organizations.factories import MembershipFactory, OrganizationFactory, UserFactory

from .conftest import D, confirm, make_program

BASE = "/api/v1/guarantees"
LISTS = ("institutions", "programs", "earmarks", "transfers", "guarantees")


@pytest.fixture
def issued(funded, org_b, fund_admin):
    return services.guarantee_issue(actor=fund_admin, program=funded, sme=org_b, amount=300_000_000,
                                    term_months=12, issue_date=D)


@pytest.fixture
def stranger(db):
    """A finance officer of a third company with nothing in the pool."""
    user = UserFactory(username="stranger")
    MembershipFactory(user=user, organization=OrganizationFactory(size_class=SizeClass.LARGE),
                      role=MembershipRole.FINANCE_OFFICER)
    return user


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("name", [*LISTS, "utilisation"])
def test_anonymous_gets_nothing(api, issued, name):
    assert api.get(f"{BASE}/{name}/").status_code in (401, 403)


def test_contributor_sees_its_programs_earmarks_transfers_and_guarantees(api_as, issued, member_a, funded):
    client = api_as(member_a)

    assert ids(client.get(f"{BASE}/programs/")) == [funded.pk]
    assert len(ids(client.get(f"{BASE}/earmarks/"))) == 1
    assert len(ids(client.get(f"{BASE}/transfers/"))) == 1
    assert ids(client.get(f"{BASE}/guarantees/")) == [issued.pk]
    program = client.get(f"{BASE}/programs/{funded.pk}/").json()
    assert program["capacity"]["capacity"] == 1_250_000_000
    assert program["capacity"]["remaining"] == 950_000_000


def test_sme_sees_only_the_guarantees_it_received(api_as, issued, member_b, funded):
    client = api_as(member_b)

    assert ids(client.get(f"{BASE}/guarantees/")) == [issued.pk]
    assert client.get(f"{BASE}/guarantees/{issued.pk}/").json()["amount"] == 300_000_000
    assert ids(client.get(f"{BASE}/transfers/")) == []
    assert client.get(f"{BASE}/programs/{funded.pk}/").status_code == 404


def test_another_company_sees_none_of_it_and_guessing_ids_answers_404(api_as, issued, stranger, funded):
    client = api_as(stranger)
    transfer, earmark = GuaranteeTransfer.objects.get(), Earmark.objects.get()

    for name in ("programs", "earmarks", "transfers", "guarantees"):
        assert ids(client.get(f"{BASE}/{name}/")) == []
    for url in (f"programs/{funded.pk}", f"earmarks/{earmark.pk}", f"transfers/{transfer.pk}",
                f"guarantees/{issued.pk}"):
        assert client.get(f"{BASE}/{url}/").status_code == 404
    assert client.get(f"{BASE}/utilisation/").json()["by_institution"] == []


def test_auditor_reads_everything_and_changes_nothing(api_as, issued, auditor, funded, org_b, wwfp, org_a):
    client = api_as(auditor)
    contribution = confirm(wwfp, org_a, 1_000_000)

    for name in LISTS:
        assert ids(client.get(f"{BASE}/{name}/"))
    key = {"HTTP_IDEMPOTENCY_KEY": "a-1"}
    writes = [
        client.post(f"{BASE}/earmarks/", {"contribution": contribution.pk, "program": funded.pk}, format="json",
                    **key),
        client.post(f"{BASE}/transfers/", {"program": funded.pk, "amount": 10, "transfer_date": "2026-03-02"},
                    format="json", **key),
        client.post(f"{BASE}/guarantees/", {"program": funded.pk, "sme": org_b.pk, "amount": 1, "term_months": 1,
                                            "issue_date": "2026-03-02"}, format="json", **key),
        client.post(f"{BASE}/guarantees/{issued.pk}/status/", {"status": "repaid"}, format="json"),
    ]
    assert [w.status_code for w in writes] == [403] * 4
    assert Guarantee.objects.get().status == "active"


def test_finance_officer_earmarks_with_an_idempotency_key(api_as, member_a, program, wwfp, org_a):
    client = api_as(member_a)
    contribution = confirm(wwfp, org_a, 20_000_000)
    body = {"contribution": contribution.pk, "program": program.pk}

    assert client.post(f"{BASE}/earmarks/", body, format="json").status_code == 400  # no key
    first = client.post(f"{BASE}/earmarks/", body, format="json", HTTP_IDEMPOTENCY_KEY="e-1")
    again = client.post(f"{BASE}/earmarks/", body, format="json", HTTP_IDEMPOTENCY_KEY="e-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["institution"] == "kodit"


def test_earmarking_another_companys_contribution_is_refused(api_as, member_b, program, wwfp, org_a):
    contribution = confirm(wwfp, org_a, 20_000_000)

    response = api_as(member_b).post(f"{BASE}/earmarks/", {"contribution": contribution.pk, "program": program.pk},
                                     format="json", HTTP_IDEMPOTENCY_KEY="e-2")

    assert response.status_code == 400
    assert "contribution" in response.json()["errors"]
    assert not Earmark.objects.exists()


def test_earmarking_a_contribution_to_another_fund_names_the_field(api_as, member_a, program, uses, org_a):
    contribution = confirm(uses["wwcf"], org_a, 20_000_000)

    response = api_as(member_a).post(f"{BASE}/earmarks/", {"contribution": contribution.pk, "program": program.pk},
                                     format="json", HTTP_IDEMPOTENCY_KEY="e-3")

    assert response.status_code == 400
    assert response.json()["field"] == "contribution"


def test_members_cannot_transfer_or_record_guarantees(api_as, member_a, funded, org_b):
    client = api_as(member_a)
    key = {"HTTP_IDEMPOTENCY_KEY": "m-1"}

    assert client.post(f"{BASE}/transfers/", {"program": funded.pk, "amount": 10, "transfer_date": "2026-03-02"},
                       format="json", **key).status_code == 403
    assert client.post(f"{BASE}/guarantees/", {"program": funded.pk, "sme": org_b.pk, "amount": 1,
                                               "term_months": 1, "issue_date": "2026-03-02"},
                       format="json", **key).status_code == 403


def test_fund_admin_transfers_and_is_told_the_room_left(api_as, fund_admin, earmarked, program):
    client = api_as(fund_admin)
    body = {"program": program.pk, "amount": 60_000_000, "transfer_date": "2026-03-02"}

    assert client.post(f"{BASE}/transfers/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1").status_code == 201
    refused = client.post(f"{BASE}/transfers/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-2")

    assert refused.status_code == 409
    assert refused.json()["field"] == "amount" and "40,000,000 won left" in refused.json()["detail"]


def test_fund_admin_records_a_guarantee_and_is_refused_above_the_cap(api_as, fund_admin, funded, org_b):
    client = api_as(fund_admin)
    body = {"program": funded.pk, "sme": org_b.pk, "amount": 1_000_000_000, "term_months": 24,
            "issue_date": "2026-04-01"}

    made = client.post(f"{BASE}/guarantees/", body, format="json", HTTP_IDEMPOTENCY_KEY="g-1")
    refused = client.post(f"{BASE}/guarantees/", body, format="json", HTTP_IDEMPOTENCY_KEY="g-2")

    assert made.status_code == 201 and made.json()["maturity_date"] == "2028-04-01"
    assert refused.status_code == 409 and "250,000,000 won of room left" in refused.json()["detail"]
    ended = client.post(f"{BASE}/guarantees/{made.json()['id']}/status/", {"status": "repaid"}, format="json")
    assert ended.json()["status"] == "repaid"
    assert [h["to_status"] for h in ended.json()["history"]] == ["active", "repaid"]


def test_utilisation_for_the_fund_admin_covers_the_pool(api_as, fund_admin, issued, org_a):
    data = api_as(fund_admin).get(f"{BASE}/utilisation/").json()

    assert data["target"] == 1_700_000_000_000
    assert data["total"]["transferred"] == 100_000_000 and data["total"]["outstanding"] == 300_000_000
    [row] = [r for r in data["by_contributor"] if r["key"] == org_a.pk]
    assert (row["contributed"], row["earmarked"], row["leverage_used"]) == (100_000_000, 100_000_000, "3.00")


@pytest.mark.parametrize("who", ["anonymous", "member_a", "member_b", "stranger", "auditor"])
def test_only_fund_administrators_write_transfers_guarantees_and_statuses(request, api, who, issued, funded, org_b):
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    key = {"HTTP_IDEMPOTENCY_KEY": f"w-{who}"}

    answers = [
        api.post(f"{BASE}/transfers/", {"program": funded.pk, "amount": 10, "transfer_date": "2026-03-02"},
                 format="json", **key).status_code,
        api.post(f"{BASE}/guarantees/", {"program": funded.pk, "sme": org_b.pk, "amount": 10, "term_months": 1,
                                         "issue_date": "2026-03-02"}, format="json", **key).status_code,
        api.post(f"{BASE}/guarantees/{issued.pk}/status/", {"status": "called"}, format="json").status_code,
    ]

    assert all(code in (401, 403) for code in answers), answers
    assert GuaranteeTransfer.objects.count() == 1 and Guarantee.objects.get().status == "active"


def test_anonymous_cannot_earmark(api, program, wwfp, org_a):
    contribution = confirm(wwfp, org_a, 1_000_000)
    response = api.post(f"{BASE}/earmarks/", {"contribution": contribution.pk, "program": program.pk},
                        format="json", HTTP_IDEMPOTENCY_KEY="anon")
    assert response.status_code in (401, 403)


def test_a_fund_administrator_earmarks_for_a_contributor(api_as, fund_admin, program, wwfp, org_a):
    contribution = confirm(wwfp, org_a, 1_000_000)

    response = api_as(fund_admin).post(f"{BASE}/earmarks/", {"contribution": contribution.pk, "program": program.pk},
                                       format="json", HTTP_IDEMPOTENCY_KEY="admin-e")

    assert response.status_code == 201
    assert Earmark.objects.get().created_by == fund_admin


def test_every_endpoint_is_in_the_openapi_schema(api_as, fund_admin):
    response = api_as(fund_admin).get("/api/schema/", {"format": "json"})

    paths = response.json()["paths"]
    for path in ("institutions/", "programs/", "programs/{id}/", "earmarks/", "earmarks/{id}/", "transfers/",
                 "transfers/{id}/", "guarantees/", "guarantees/{id}/", "guarantees/{id}/status/", "utilisation/"):
        assert f"{BASE}/{path}" in paths, path
    assert "Idempotency-Key" in [p["name"] for p in paths[f"{BASE}/earmarks/"]["post"]["parameters"]]


def test_a_guarantee_institutions_staff_see_its_programs_and_guarantees_only(api_as, issued, funded, kodit, kibo,
                                                                            org_a):
    kodit_org = OrganizationFactory(name_ko="신용보증기금", size_class=SizeClass.GUARANTEE_INSTITUTION)
    kodit.organization = kodit_org
    kodit.save()
    user = UserFactory(username="kodit_staff")
    MembershipFactory(user=user, organization=kodit_org, role=MembershipRole.VIEWER)
    other = make_program(kibo, org_a, name="기술혁신 보증")
    client = api_as(user)

    assert ids(client.get(f"{BASE}/programs/")) == [funded.pk]
    assert ids(client.get(f"{BASE}/guarantees/")) == [issued.pk]
    assert client.get(f"{BASE}/programs/{other.pk}/").status_code == 404
