"""The organisations API: members see only their own organisation (another's id is a 404, never a 403), auditors
read everything, only fund administrators register and change organisations, and bad numbers are a 400 naming the
field."""

import pytest

from apps.organizations.models import Organization

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organizations/"
ME = "/api/v1/organizations/me/"
PEOPLE = ["anonymous", "outsider", "member_a", "member_b", "auditor", "fund_admin"]


def detail(org) -> str:
    return f"{LIST}{org.pk}/"


def client_for(request, api, who):
    if who != "anonymous":
        api.force_authenticate(request.getfixturevalue(who))
    return api


@pytest.fixture
def admin_api(api_as, fund_admin):
    return api_as(fund_admin)


def new_org(**extra):
    return {"name_ko": "동반물산", "name_en": "Dongban Trading", "business_registration_number": "220-81-62517",
            "size_class": "large", **extra}


def refused_for_anonymous(response):
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "detail"}


# Who may do what


@pytest.mark.parametrize("who", PEOPLE)
def test_who_sees_which_organisations_in_the_list(request, api, org_a, org_b, member_a, member_b, who):
    response = client_for(request, api, who).get(LIST)
    if who == "anonymous":
        return refused_for_anonymous(response)
    assert response.status_code == 200
    names = {row["name_ko"] for row in response.json()["results"]}
    assert names == {
        "outsider": set(), "member_a": {"한빛전자"}, "member_b": {"새싹정밀"},
        "auditor": {"한빛전자", "새싹정밀"}, "fund_admin": {"한빛전자", "새싹정밀"},
    }[who]


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_read_company_as_page(request, api, org_a, member_a, member_b, who):
    response = client_for(request, api, who).get(detail(org_a))
    if who == "anonymous":
        return refused_for_anonymous(response)
    expected = {"outsider": 404, "member_a": 200, "member_b": 404, "auditor": 200, "fund_admin": 200}[who]
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["brn_display"] == "124-81-00998"


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_register_an_organisation(request, api, member_a, member_b, who):
    response = client_for(request, api, who).post(LIST, new_org(), format="json")
    if who == "anonymous":
        refused_for_anonymous(response)
    else:
        assert response.status_code == (201 if who == "fund_admin" else 403)
    assert Organization.objects.filter(business_registration_number="2208162517").exists() == (who == "fund_admin")


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_change_company_a(request, api, org_a, member_a, member_b, who):
    response = client_for(request, api, who).patch(detail(org_a), {"name_en": "Changed"}, format="json")
    if who == "anonymous":
        refused_for_anonymous(response)
    else:
        expected = {"outsider": 404, "member_a": 403, "member_b": 404, "auditor": 403, "fund_admin": 200}[who]
        assert response.status_code == expected
    org_a.refresh_from_db()
    assert (org_a.name_en == "Changed") == (who == "fund_admin")


@pytest.mark.parametrize("who", PEOPLE)
def test_everyone_signed_in_reads_their_own_memberships(request, api, member_a, member_b, org_a, who):
    response = client_for(request, api, who).get(ME)
    if who == "anonymous":
        return refused_for_anonymous(response)
    assert response.status_code == 200
    body = response.json()
    assert (body["is_fund_admin"], body["is_auditor"]) == (who == "fund_admin", who == "auditor")
    memberships = [(m["organization"]["name_ko"], m["role"], m["may_submit"]) for m in body["memberships"]]
    assert memberships == {
        "member_a": [("한빛전자", "finance_officer", True)], "member_b": [("새싹정밀", "finance_officer", True)],
    }.get(who, [])


def test_ids_cannot_be_probed_an_unknown_id_and_anothers_answer_alike(api_as, member_a, org_b):
    api = api_as(member_a)
    for url in (detail(org_b), f"{LIST}999999/", f"{LIST}abc/"):
        assert api.get(url).status_code == 404
        assert api.patch(url, {"name_en": "x"}, format="json").status_code == 404


@pytest.mark.parametrize("method", ["put", "delete"])
def test_organisations_are_not_replaced_or_deleted_through_the_api(admin_api, org_a, method):
    response = getattr(admin_api, method)(detail(org_a), new_org(), format="json")
    assert response.status_code == 405
    assert Organization.objects.filter(pk=org_a.pk).exists()


# Registering and changing


def test_fund_admin_registers_an_organisation_typed_with_hyphens(admin_api, org_a, org_b):
    response = admin_api.post(LIST, new_org(corporate_registration_number="110111-0062432",
                                            related_parties=[org_a.pk], partner_smes=[org_b.pk]), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["business_registration_number"] == "2208162517"
    assert body["brn_display"] == "220-81-62517"
    assert body["brn_kind"] == "head_office"
    assert body["crn_display"] == "110111-0062432"
    assert body["party"] == f"org:{body['id']}"
    assert (body["related_parties"], body["partner_smes"]) == ([org_a.pk], [org_b.pk])
    assert list(org_a.related_parties.values_list("pk", flat=True)) == [body["id"]]


@pytest.mark.parametrize(("field", "value", "code"), [
    ("business_registration_number", "220-81-62518", "brn_checksum"),
    ("business_registration_number", "220-81-625", "brn_format"),
    ("business_registration_number", "", "blank"),
    ("corporate_registration_number", "110111-0062433", "crn_checksum"),
    ("corporate_registration_number", "11011100624", "crn_format"),
    ("size_class", "giant", "invalid_choice"),
    ("related_parties", [999999], "does_not_exist"),
])
def test_invalid_input_is_a_400_naming_the_field_and_the_reason(admin_api, field, value, code):
    response = admin_api.post(LIST, new_org(**{field: value}), format="json")
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["code"]) == (field, code)
    assert body["detail"]
    assert not Organization.objects.exists()


def test_a_duplicate_number_is_a_400_on_that_field(admin_api, org_a):
    response = admin_api.post(LIST, new_org(business_registration_number="1248100998"), format="json")
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["code"]) == ("business_registration_number", "unique")
    response = admin_api.post(LIST, new_org(corporate_registration_number="130111-0006246"), format="json")
    assert (response.json()["field"], response.json()["code"]) == ("corporate_registration_number", "unique")
    assert Organization.objects.count() == 1


def test_patch_may_keep_its_own_number_but_not_take_anothers(admin_api, org_a, org_b):
    own = admin_api.patch(detail(org_a), {"business_registration_number": "124-81-00998", "name_en": "Hanbit"},
                          format="json")
    assert own.status_code == 200
    assert own.json()["name_en"] == "Hanbit"
    taken = admin_api.patch(detail(org_a), {"business_registration_number": org_b.business_registration_number},
                            format="json")
    assert (taken.status_code, taken.json()["field"]) == (400, "business_registration_number")


def test_patch_replaces_relations_and_refuses_the_organisation_itself(admin_api, org_a, org_b):
    response = admin_api.patch(detail(org_a), {"partner_smes": [org_b.pk]}, format="json")
    assert response.json()["partner_smes"] == [org_b.pk]
    response = admin_api.patch(detail(org_a), {"related_parties": [org_a.pk]}, format="json")
    assert (response.status_code, response.json()["field"]) == (400, "related_parties")
    assert not org_a.related_parties.exists()


def test_the_list_filters_by_number_and_size_class(api_as, auditor, org_a, org_b):
    api = api_as(auditor)
    assert [r["id"] for r in api.get(LIST, {"brn": "124-81-00998"}).json()["results"]] == [org_a.pk]
    assert [r["id"] for r in api.get(LIST, {"size_class": "sme"}).json()["results"]] == [org_b.pk]


def test_schema_lists_the_organisation_endpoints(api):
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert set(paths["/api/v1/organizations/"]) >= {"get", "post"}
    assert set(paths["/api/v1/organizations/{id}/"]) >= {"get", "patch"}
    assert "put" not in paths["/api/v1/organizations/{id}/"]
    assert "/api/v1/organizations/me/" in paths
