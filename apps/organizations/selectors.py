"""Who sees which organisations, and who may act for them.

Fund administrators and auditors see every organisation; anyone else sees only the organisations they are a member
of, and an anonymous user none. Pages, the API and the other apps scope their reads through these functions, so a
user of one company never reaches another's records, by URL guessing included.
"""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.roles import is_auditor, is_fund_admin

from .models import Membership, MembershipRole, Organization


def _is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", True))


def sees_all_organizations(user) -> bool:
    return is_fund_admin(user) or is_auditor(user)


def organizations_visible_to(user) -> QuerySet[Organization]:
    if not _is_signed_in(user):
        return Organization.objects.none()
    if sees_all_organizations(user):
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=Membership.objects.filter(user=user).values("organization_id"))


def memberships_of(user) -> QuerySet[Membership]:
    if not _is_signed_in(user):
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name_ko")


def organizations_submittable_by(user) -> QuerySet[Organization]:
    """The active organisations this user is a finance officer of (those `can_submit_for` allows), by name."""
    if not _is_signed_in(user):
        return Organization.objects.none()
    ids = Membership.objects.filter(user=user, role=MembershipRole.FINANCE_OFFICER).values("organization_id")
    return Organization.objects.filter(pk__in=ids, is_active=True).order_by("name_ko")


def can_submit_for(user, organization: Organization | int) -> bool:
    """A finance officer of that organisation, while it is active. Administrators act through the back office,
    not by submitting on a company's behalf."""
    if not _is_signed_in(user):
        return False
    organization_id = organization.pk if isinstance(organization, Organization) else int(organization)
    return Membership.objects.filter(
        user=user, organization_id=organization_id, organization__is_active=True, role=MembershipRole.FINANCE_OFFICER
    ).exists()
