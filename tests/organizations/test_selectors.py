"""Who sees which organisations: administrators and auditors all, members their own, anyone else none."""

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.organizations import selectors
from apps.organizations.models import MembershipRole

from .factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def visible(user):
    return set(selectors.organizations_visible_to(user))


def test_fund_admins_and_auditors_see_every_organisation(fund_admin, auditor, org_a, org_b):
    assert visible(fund_admin) == visible(auditor) == {org_a, org_b}


def test_a_member_sees_only_their_own_organisations(member_a, member_b, org_a, org_b):
    assert visible(member_a) == {org_a}
    assert visible(member_b) == {org_b}
    MembershipFactory(user=member_a, organization=org_b, role=MembershipRole.VIEWER)
    assert visible(member_a) == {org_a, org_b}
    assert selectors.organizations_visible_to(member_a).count() == 2


def test_outsiders_anonymous_and_deactivated_users_see_nothing(outsider, member_a, org_b):
    assert visible(outsider) == set()
    assert visible(AnonymousUser()) == set()
    member_a.is_active = False
    assert visible(member_a) == set()


def test_memberships_of_lists_the_users_roles(member_a, viewer_a, org_a, outsider):
    assert [(m.organization, m.role) for m in selectors.memberships_of(member_a)] == [
        (org_a, MembershipRole.FINANCE_OFFICER)]
    assert [m.role for m in selectors.memberships_of(viewer_a)] == [MembershipRole.VIEWER]
    assert not selectors.memberships_of(outsider).exists()
    assert not selectors.memberships_of(AnonymousUser()).exists()


def test_only_a_finance_officer_of_an_active_organisation_may_submit_for_it(
    member_a, member_b, viewer_a, fund_admin, org_a, org_b
):
    assert selectors.can_submit_for(member_a, org_a)
    assert selectors.can_submit_for(member_a, org_a.pk)
    assert not selectors.can_submit_for(member_a, org_b)
    assert not selectors.can_submit_for(member_b, org_a)
    assert not selectors.can_submit_for(viewer_a, org_a)
    assert not selectors.can_submit_for(fund_admin, org_a)
    assert not selectors.can_submit_for(AnonymousUser(), org_a)
    org_a.is_active = False
    org_a.save()
    assert not selectors.can_submit_for(member_a, org_a)


def test_the_organisations_one_may_submit_for_are_those_can_submit_for_allows(
    member_a, member_b, viewer_a, fund_admin, org_a, org_b
):
    MembershipFactory(user=member_a, organization=org_b, role=MembershipRole.FINANCE_OFFICER)
    assert list(selectors.organizations_submittable_by(member_a)) == sorted([org_a, org_b], key=lambda o: o.name_ko)
    for user in (viewer_a, fund_admin, AnonymousUser()):
        assert not selectors.organizations_submittable_by(user).exists()
    org_b.is_active = False
    org_b.save()
    assert list(selectors.organizations_submittable_by(member_a)) == [org_a]
    assert [selectors.can_submit_for(member_a, o) for o in (org_a, org_b)] == [True, False]


def test_an_organisation_without_members_is_seen_only_by_admins_and_auditors(member_a, auditor):
    lonely = OrganizationFactory()
    assert lonely not in visible(member_a)
    assert lonely in visible(auditor)
