"""REST API of the audit trail and the auditors' read-only area, mounted under /api/v1/."""

urlpatterns: list = []
