"""Typed refusals of the ledger. Each names the field at fault (where there is one) and a reason a person can act on.

`status` is the HTTP status the API answers with: 400 for input that can never post, 409 for a conflict with the
ledger's current state (a used idempotency key, a closed period, a limit, an entry already reversed).
"""

from apps.core.exceptions import DomainError


class LedgerError(DomainError):
    code = "ledger_error"


class InvalidEntry(LedgerError):
    code = "invalid_entry"


class UnbalancedEntry(InvalidEntry):
    code = "unbalanced"


class InvalidAccount(InvalidEntry):
    code = "invalid_account"


class CurrencyMismatch(InvalidEntry):
    code = "currency_mismatch"


class IdempotencyConflict(LedgerError):
    status = 409
    code = "idempotency_conflict"


class PeriodClosed(LedgerError):
    status = 409
    code = "period_closed"


class LimitExceeded(LedgerError):
    status = 409
    code = "limit_exceeded"


class AlreadyReversed(LedgerError):
    status = 409
    code = "already_reversed"


class HoldNotOpen(LedgerError):
    status = 409
    code = "hold_not_open"


class NotPermitted(LedgerError):
    status = 403
    code = "not_permitted"
