"""Organisations and memberships as stored: numbers normalised and checked, unique, relations as the tax-credit and
partner rules need them, and every write through the services refusing bad input by field."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.organizations import services
from apps.organizations.identifiers import BrnKind
from apps.organizations.models import Membership, MembershipRole, Organization, SizeClass

from .factories import OrganizationFactory, UserFactory, make_brn

pytestmark = pytest.mark.django_db


def create(actor="test", **fields):
    defaults = {"name_ko": "한빛전자", "business_registration_number": "124-81-00998", "size_class": SizeClass.LARGE}
    return services.organization_create(actor=actor, **{**defaults, **fields})


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_registration_number_typed_with_hyphens_is_stored_as_digits_and_shown_formatted():
    org = create(corporate_registration_number="130111-0006246")
    org.refresh_from_db()
    assert org.business_registration_number == "1248100998"
    assert org.brn_display == "124-81-00998"
    assert org.corporate_registration_number == "1301110006246"
    assert org.crn_display == "130111-0006246"
    assert org.brn_kind == BrnKind.HEAD_OFFICE
    assert str(org) == "한빛전자 (124-81-00998)"


def test_the_party_on_ledger_lines_is_the_stable_id():
    org = create()
    assert org.party == f"org:{org.pk}"


def test_lookups_find_a_number_however_it_is_typed():
    org = create()
    assert Organization.objects.get(business_registration_number="124-81-00998") == org
    assert Organization.objects.filter(business_registration_number__in=["124 81 00998"]).get() == org


@pytest.mark.parametrize(("field", "value"), [
    ("business_registration_number", "124-81-00997"),
    ("business_registration_number", "12481"),
    ("corporate_registration_number", "130111-0006247"),
])
def test_a_number_failing_its_check_is_refused_on_its_field(field, value):
    errors = refusal(lambda: create(**{field: value}))
    assert list(errors) == [field]
    assert not Organization.objects.exists()


def test_a_duplicate_business_registration_number_is_refused_on_that_field():
    create()
    errors = refusal(lambda: create(name_ko="다른회사", business_registration_number="1248100998"))
    assert list(errors) == ["business_registration_number"]
    assert Organization.objects.count() == 1


def test_the_database_refuses_a_duplicate_number_that_skipped_validation():
    create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name_ko="x", business_registration_number="124-81-00998", size_class="sme")


def test_the_corporate_number_is_optional_and_unique_only_when_set():
    create(business_registration_number=make_brn(1), corporate_registration_number="")
    create(business_registration_number=make_brn(2))
    create(business_registration_number=make_brn(3), corporate_registration_number="1101110062432")
    assert Organization.objects.filter(corporate_registration_number__isnull=True).count() == 2
    errors = refusal(lambda: create(business_registration_number=make_brn(4),
                                    corporate_registration_number="110111-0062432"))
    assert list(errors) == ["corporate_registration_number"]


def test_an_unknown_size_class_is_refused():
    assert list(refusal(lambda: create(size_class="giant"))) == ["size_class"]


def test_related_parties_are_symmetrical_and_partner_smes_are_not():
    large = create()
    affiliate = OrganizationFactory()
    sme = OrganizationFactory(size_class=SizeClass.SME)
    services.organization_update(actor="test", organization=large, related_parties=[affiliate], partner_smes=[sme])
    assert list(affiliate.related_parties.all()) == [large]
    assert list(large.partner_smes.all()) == [sme]
    assert not sme.partner_smes.exists()
    assert list(sme.large_partners.all()) == [large]


@pytest.mark.parametrize("relation", ["related_parties", "partner_smes"])
def test_an_organisation_is_not_its_own_related_party_or_partner(relation):
    org = create()
    assert list(refusal(lambda: services.organization_update(actor="test", organization=org,
                                                             **{relation: [org]}))) == [relation]
    assert not getattr(org, relation).exists()


def test_update_changes_fields_and_is_recorded_in_the_admin_history(fund_admin):
    org = create(actor=fund_admin)
    services.organization_update(actor=fund_admin, organization=org, name_en="Hanbit", is_active=False)
    org.refresh_from_db()
    assert (org.name_en, org.is_active) == ("Hanbit", False)
    flags = list(LogEntry.objects.filter(object_id=str(org.pk)).order_by("pk").values_list("action_flag", "user"))
    assert flags == [(ADDITION, fund_admin.pk), (CHANGE, fund_admin.pk)]


def test_update_refuses_an_invalid_number_and_keeps_the_old_one():
    org = create()
    errors = refusal(lambda: services.organization_update(actor="test", organization=org,
                                                          business_registration_number="124-81-00997"))
    assert list(errors) == ["business_registration_number"]
    org.refresh_from_db()
    assert org.business_registration_number == "1248100998"


def test_update_refuses_fields_it_does_not_know():
    with pytest.raises(TypeError):
        services.organization_update(actor="test", organization=create(), created_at=None)


def test_membership_add_gives_a_role_once(org_a):
    user = UserFactory()
    membership = services.membership_add(actor="test", user=user, organization=org_a,
                                         role=MembershipRole.FINANCE_OFFICER)
    assert membership.may_submit
    errors = refusal(lambda: services.membership_add(actor="test", user=user, organization=org_a,
                                                     role=MembershipRole.VIEWER))
    assert list(errors) == ["user"]
    assert Membership.objects.filter(user=user).count() == 1


def test_membership_add_refuses_an_unknown_role_an_inactive_user_and_an_inactive_organisation(org_a):
    assert list(refusal(lambda: services.membership_add(actor="test", user=UserFactory(), organization=org_a,
                                                        role="owner"))) == ["role"]
    inactive_user = UserFactory(is_active=False)
    assert list(refusal(lambda: services.membership_add(actor="test", user=inactive_user, organization=org_a,
                                                        role=MembershipRole.VIEWER))) == ["user"]
    closed = OrganizationFactory(is_active=False)
    assert list(refusal(lambda: services.membership_add(actor="test", user=UserFactory(), organization=closed,
                                                        role=MembershipRole.VIEWER))) == ["organization"]
    assert not Membership.objects.exclude(organization=org_a).exists()


def test_a_duplicate_registered_at_the_same_moment_is_still_refused_on_its_field(monkeypatch):
    """Two requests can both pass the uniqueness check before either saves; the database's constraint then
    refuses the second, and the service reports it on the field like the check would have."""
    create()
    monkeypatch.setattr(Organization, "validate_unique", lambda self, exclude=None: None)
    errors = refusal(lambda: create(name_ko="다른회사", business_registration_number="1248100998"))
    assert list(errors) == ["business_registration_number"]
    assert Organization.objects.count() == 1
