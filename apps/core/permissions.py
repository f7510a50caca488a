"""Who may use the API: fund administrators read and post, auditors only read, nobody else gets in."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .roles import is_auditor, is_fund_admin


class FundAdminOrAuditorReadOnly(BasePermission):
    """Fund administrators (and superusers) may read and write; auditors may read; any other user is refused."""

    message = "Only fund administrators may change the ledger; auditors may read it."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if is_fund_admin(user):
            return True
        return request.method in SAFE_METHODS and is_auditor(user)
