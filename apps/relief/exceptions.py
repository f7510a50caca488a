"""Typed refusals of the relief app. Each names the field at fault and a reason a person can act on.

`status` is the HTTP status the API answers with: 400 for input that can never be accepted, 403 for an actor
without the right, 409 for a conflict with the record's current state, the fund's cash or an earlier request.
"""

from apps.core.exceptions import DomainError


class ReliefError(DomainError):
    code = "relief_error"


class InvalidInput(ReliefError):
    code = "invalid"


class FineAboveLegalMaximum(InvalidInput):
    code = "fine_above_legal_maximum"


class PaymentExceedsOutstanding(ReliefError):
    status = 409
    code = "payment_exceeds_outstanding"


class DocumentRefused(InvalidInput):
    code = "document_refused"


class NotAllowed(ReliefError):
    status = 403
    code = "not_allowed"


class InvalidTransition(ReliefError):
    status = 409
    code = "invalid_transition"


class InsufficientFunds(ReliefError):
    status = 409
    code = "insufficient_funds"


class IdempotencyConflict(ReliefError):
    status = 409
    code = "idempotency_conflict"
