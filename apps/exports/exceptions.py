"""Typed refusals of the exports app, each naming the field at fault (see apps.core.exceptions)."""

from apps.core.exceptions import DomainError


class ExportError(DomainError):
    code = "export_error"


class InvalidExport(ExportError):
    """Input that can never make an export: an unknown fund or account, a period the wrong way round, a format
    the kind is not written in."""

    code = "invalid_export"


class NotAllowed(ExportError):
    status = 403
    code = "not_allowed"


class NotReady(ExportError):
    status = 409
    code = "export_not_ready"
