"""API plumbing shared by every app: pagination, and one JSON shape for every error.

`{"code": ..., "detail": ..., "field": ...}`: typed domain errors become 400/409 with the field at fault and the
reason; request validation errors name the first field at fault as a path (`lines[1].debit`) and keep every
message under `errors`; DRF's own refusals (401, 403, 404, 405, parse errors) gain a `code`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import DomainError


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=` pages of at most 1,000 rows: an unbounded `limit` would reach the database as an
    out-of-range LIMIT."""

    max_limit = 1_000


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        return Response({"code": "invalid", "detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        response.data = validation_body(response.data)
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"code": getattr(response.data["detail"], "code", "error"), **response.data}
    return response


def validation_body(errors) -> dict:
    """DRF's nested validation errors, led by the first one: its code, its message and the path to its field."""
    field, message = first_error(errors) or ("", "invalid input")
    body = {"code": getattr(message, "code", "invalid"), "detail": str(message)}
    if field:
        body["field"] = field
    body["errors"] = errors
    return body


def first_error(errors, path: str = ""):
    """(path, message) of the first message in DRF's error detail. Fields are dict keys; the items of a list
    (`many=True`) are integer keys, or the positions of a list of dicts."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            found = first_error(value, _child_path(path, key))
            if found:
                return found
        return None
    if isinstance(errors, list):
        for index, value in enumerate(errors):
            if isinstance(value, dict | list):
                found = first_error(value, f"{path}[{index}]")
                if found:
                    return found
            else:
                return path, value
        return None
    return path, errors


def _child_path(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key == api_settings.NON_FIELD_ERRORS_KEY:
        return path
    return f"{path}.{key}" if path else str(key)
