"""Typed refusals of the grants app. Each names the field at fault and a reason a person can act on.

`status` is the HTTP status the API answers with: 400 for input that can never be accepted, 403 for an actor
without the right, 409 for a conflict with the current state (a cap reached, the fund's cash short, a used key).
"""

from apps.core.exceptions import DomainError


class GrantError(DomainError):
    code = "grant_error"


class InvalidGrant(GrantError):
    code = "invalid_grant"


class NotAllowed(GrantError):
    status = 403
    code = "not_allowed"


class InvalidTransition(GrantError):
    status = 409
    code = "invalid_transition"


class IdempotencyConflict(GrantError):
    status = 409
    code = "idempotency_conflict"


class NoRuleInForce(GrantError):
    status = 409
    code = "no_rule_in_force"


class CapExceeded(GrantError):
    """An award or a tranche would go beyond a cap; the message names the cap, what is already awarded and the
    room left, e.g. "United States cap per SME over 3 years: ₩2,000,000,000; already awarded ₩1,800,000,000;
    room ₩200,000,000"."""

    status = 409
    code = "cap_exceeded"

    def __init__(self, message: str, *, field: str | None = "amount", cap: str = "", room: int = 0):
        super().__init__(message, field=field)
        self.cap = cap
        self.room = room


class FundCashShort(GrantError):
    status = 409
    code = "fund_cash_short"
