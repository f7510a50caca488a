"""Typed refusals of the contributions app. Each names the field at fault and a reason a person can act on.

`status` is the HTTP status the API answers with: 400 for input that can never be accepted, 403 for an actor
without the right, 409 for a conflict with the contribution's current state or an earlier request.
"""

from apps.core.exceptions import DomainError


class ContributionError(DomainError):
    code = "contribution_error"


class InvalidContribution(ContributionError):
    code = "invalid_contribution"


class DesignatedUseNotValid(InvalidContribution):
    code = "designated_use_not_valid"


class NotAllowed(ContributionError):
    status = 403
    code = "not_allowed"


class InvalidTransition(ContributionError):
    status = 409
    code = "invalid_transition"


class IdempotencyConflict(ContributionError):
    status = 409
    code = "idempotency_conflict"
