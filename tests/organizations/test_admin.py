"""The back office: organisations found by registration number however it is typed, numbers entered with hyphens
stored as digits, memberships managed on the organisation's page."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from apps.core.roles import FUND_ADMINISTRATORS
from apps.organizations.models import Membership, MembershipRole, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, fund_admin):
    group = Group.objects.get(name=FUND_ADMINISTRATORS)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="organizations"))
    client.force_login(fund_admin)
    return client


def url(model, view="changelist", *args):
    return reverse(f"admin:organizations_{model}_{view}", args=args)


def found(response) -> set[str]:
    return {org.name_ko for org in response.context["cl"].result_list}


def test_the_list_shows_the_formatted_number(admin_client, org_a, org_b):
    response = admin_client.get(url("organization"))
    assert response.status_code == 200
    assert "124-81-00998" in response.content.decode()
    assert found(response) == {"한빛전자", "새싹정밀"}


@pytest.mark.parametrize("term", ["124-81-00998", "1248100998", "124 81 00998", "81-009", "130111-0006246"],
                         ids=["hyphens", "digits", "spaces", "part", "corporate-number"])
def test_search_finds_an_organisation_by_registration_number_however_typed(admin_client, org_a, org_b, term):
    assert found(admin_client.get(url("organization"), {"q": term})) == {"한빛전자"}


@pytest.mark.parametrize("term", ["한빛", "hanbit"])
def test_search_finds_an_organisation_by_name(admin_client, org_a, org_b, term):
    assert found(admin_client.get(url("organization"), {"q": term})) == {"한빛전자"}


def test_filter_by_size_class(admin_client, org_a, org_b):
    assert found(admin_client.get(url("organization"), {"size_class__exact": "sme"})) == {"새싹정밀"}


def form_data(**extra):
    return {
        "name_ko": "동반물산", "name_en": "Dongban Trading", "size_class": "large", "is_active": "on",
        "business_registration_number": "220-81-62517", "corporate_registration_number": "",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0", **extra,
    }


def test_a_number_typed_with_hyphens_in_the_add_form_is_stored_as_digits(admin_client):
    response = admin_client.post(url("organization", "add"), form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    org = Organization.objects.get()
    assert (org.business_registration_number, org.corporate_registration_number) == ("2208162517", None)


def test_the_add_form_refuses_a_bad_check_digit_beside_the_field(admin_client):
    response = admin_client.post(url("organization", "add"), form_data(business_registration_number="220-81-62518"))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["business_registration_number"]
    assert not Organization.objects.exists()


def test_the_change_form_shows_the_number_formatted_and_adds_members_inline(admin_client, org_a, outsider):
    page = admin_client.get(url("organization", "change", org_a.pk)).content.decode()
    assert 'value="124-81-00998"' in page
    data = form_data(name_ko=org_a.name_ko, business_registration_number="1248100998",
                     corporate_registration_number="130111-0006246",
                     **{"memberships-TOTAL_FORMS": "1", "memberships-0-user": str(outsider.pk),
                        "memberships-0-role": MembershipRole.VIEWER})
    response = admin_client.post(url("organization", "change", org_a.pk), data)
    assert response.status_code == 302
    assert Membership.objects.get(organization=org_a).user == outsider


def test_membership_search_finds_members_by_their_organisations_number(admin_client, member_a, member_b):
    response = admin_client.get(url("membership"), {"q": "124-81-00998"})
    assert [m.user.username for m in response.context["cl"].result_list] == ["member_a"]


def test_people_without_the_permission_cannot_open_the_organisations(client, member_a, org_a):
    client.force_login(member_a)
    assert client.get(url("organization")).status_code == 302
