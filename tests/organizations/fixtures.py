"""Two companies, each with a finance officer, for any test package that needs organisation members:
`from tests.organizations.fixtures import *` in its conftest. Company A is a large contributor, company B an SME;
`member_a` may submit for A only, `member_b` for B only."""

import pytest

from apps.organizations.models import MembershipRole, SizeClass

from .factories import MembershipFactory, OrganizationFactory, UserFactory

__all__ = ["org_a", "org_b", "member_a", "member_b", "viewer_a"]


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name_ko="한빛전자", name_en="Hanbit Electronics", size_class=SizeClass.LARGE,
                               business_registration_number="1248100998", corporate_registration_number="1301110006246")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name_ko="새싹정밀", name_en="Saessak Precision", size_class=SizeClass.SME,
                               business_registration_number="1208147521")


@pytest.fixture
def member_a(org_a):
    """A finance officer of company A."""
    user = UserFactory(username="member_a", password="pw-member_a")
    MembershipFactory(user=user, organization=org_a, role=MembershipRole.FINANCE_OFFICER)
    return user


@pytest.fixture
def member_b(org_b):
    """A finance officer of company B."""
    user = UserFactory(username="member_b", password="pw-member_b")
    MembershipFactory(user=user, organization=org_b, role=MembershipRole.FINANCE_OFFICER)
    return user


@pytest.fixture
def viewer_a(org_a):
    """A read-only member of company A."""
    user = UserFactory(username="viewer_a", password="pw-viewer_a")
    MembershipFactory(user=user, organization=org_a, role=MembershipRole.VIEWER)
    return user
