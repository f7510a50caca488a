"""Typed refusals of the matching app, each with a reason a person can act on and the field at fault."""

from apps.core.exceptions import DomainError


class MatchingError(DomainError):
    code = "matching_error"


class NotAllowed(MatchingError):
    status = 403
    code = "not_allowed"


class BudgetTooSmall(MatchingError):
    status = 409
    code = "budget_too_small"
