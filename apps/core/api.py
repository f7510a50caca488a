"""API plumbing shared by every app: typed domain errors become 400/409 JSON with the field and the reason."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.ledger.exceptions import LedgerError


def exception_handler(exc, context):
    if isinstance(exc, LedgerError):
        body = {"code": exc.code, "detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        return Response({"code": "invalid", "detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
