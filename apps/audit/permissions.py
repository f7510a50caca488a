"""Who may read the audit trail and the auditors' area: fund administrators and auditors, nobody else."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.core.roles import reads_books


def may_audit(user) -> bool:
    return reads_books(user)


class AuditorsReadOnly(BasePermission):
    """Fund administrators and auditors may read; nobody writes through these endpoints."""

    message = "Only fund administrators and auditors may read the audit trail."

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS and may_audit(request.user)
