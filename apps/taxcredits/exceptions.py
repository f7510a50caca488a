"""Typed refusals of the tax-credits app, each with a reason a person can act on and the field at fault."""

from apps.core.exceptions import DomainError


class TaxCreditError(DomainError):
    code = "tax_credit_error"


class OverlappingRule(TaxCreditError):
    status = 409
    code = "overlapping_rule"


class NotAllowed(TaxCreditError):
    status = 403
    code = "not_allowed"
