"""The one shape of a typed refusal, shared by every app: a message a person can act on, the field at fault (if
any), a machine-readable code, and the HTTP status the API answers with (see apps.core.api.exception_handler)."""


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
