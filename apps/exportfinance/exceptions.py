"""Typed refusals of the export-finance app, each with a reason a person can act on and the field at fault.

`status` is the HTTP status the API answers with: 400 for input that can never be accepted, 403 for an actor
without the right, 409 for a conflict with the project's or the period's current state or an earlier request.
"""

from apps.core.exceptions import DomainError


class ExportFinanceError(DomainError):
    code = "export_finance_error"


class InvalidInput(ExportFinanceError):
    code = "invalid"


class NotAllowed(ExportFinanceError):
    status = 403
    code = "not_allowed"


class ProjectNotActive(ExportFinanceError):
    status = 409
    code = "project_not_active"


class CommitmentExceeded(ExportFinanceError):
    status = 409
    code = "commitment_exceeded"


class ProjectTermsLocked(ExportFinanceError):
    """An edit that money already moved forbids: another beneficiary or financing type, or closing a project
    while money is outstanding (repayments need an active project)."""

    status = 409
    code = "project_terms_locked"


class RepaymentExceedsOutstanding(ExportFinanceError):
    status = 409
    code = "repayment_exceeds_outstanding"


class AlreadyReported(ExportFinanceError):
    status = 409
    code = "already_reported"


class ShareSettled(ExportFinanceError):
    status = 409
    code = "share_settled"


class NothingDue(ExportFinanceError):
    status = 409
    code = "nothing_due"


class NoRuleInForce(ExportFinanceError):
    status = 409
    code = "no_rule_in_force"


class IdempotencyConflict(ExportFinanceError):
    status = 409
    code = "idempotency_conflict"
