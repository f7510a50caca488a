"""Pages of the audit trail and the auditors' read-only area."""

app_name = "audit"

urlpatterns: list = []
