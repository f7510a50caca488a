"""Typed errors of the funds app."""


class FundsError(Exception):
    """Base of the funds app's errors."""


class ChartMismatch(FundsError):
    """A fund's ledger already has an account under a standard code, but of another type: the chart cannot be
    completed without a person deciding what that account is."""
