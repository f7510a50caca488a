"""The audit trail and the auditors' read-only area."""
