"""Typed refusals of the win-win finance pool, each with a reason a person can act on and the field at fault."""

from apps.core.exceptions import DomainError


class GuaranteeError(DomainError):
    code = "guarantee_error"


class NotAllowed(GuaranteeError):
    status = 403
    code = "not_allowed"


class InvalidEarmark(GuaranteeError):
    code = "invalid_earmark"


class InvalidGuarantee(GuaranteeError):
    code = "invalid_guarantee"


class InvalidTransition(GuaranteeError):
    status = 409
    code = "invalid_transition"


class TransferExceedsEarmarked(GuaranteeError):
    status = 409
    code = "transfer_exceeds_earmarked"


class ExposureCapExceeded(GuaranteeError):
    status = 409
    code = "exposure_cap_exceeded"


class IdempotencyConflict(GuaranteeError):
    status = 409
    code = "idempotency_conflict"
