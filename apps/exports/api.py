"""The exports REST API (/api/v1/exports/jobs/...): auditors and fund administrators queue an export job, follow
its progress and download its file; anybody else is refused (403). One sees one's own jobs (a fund administrator
everyone's); another's job answers 404. Creating accepts an `Idempotency-Key` header: a retry returns the first
job instead of queueing a second."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from apps.core.api import Pagination
from apps.ledger.serializers import ErrorSerializer

from . import services
from .selectors import jobs_visible_to, may_export
from .serializers import ExportJobSerializer, ExportRequestSerializer
from .views import file_response

ERRORS = {403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not an auditor or fund administrator.")}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such job, or not yours.")}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Any unique string (e.g. a UUID): a retry with the same key returns the first job.")


class MayExport(BasePermission):
    message = "Only auditors and fund administrators may export the ledger."

    def has_permission(self, request, view) -> bool:
        return may_export(request.user)


@extend_schema_view(
    list=extend_schema(responses={200: ExportJobSerializer(many=True), **ERRORS}, summary="Your export jobs"),
    retrieve=extend_schema(responses={200: ExportJobSerializer, **ERRORS, **NOT_FOUND},
                           summary="An export job: status, progress and control totals"),
    create=extend_schema(request=ExportRequestSerializer, parameters=[IDEMPOTENCY_KEY],
                         responses={201: ExportJobSerializer, 400: ErrorSerializer, **ERRORS},
                         summary="Queue an export of the ledger"),
    download=extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                                      409: OpenApiResponse(ErrorSerializer, description="Not done yet."),
                                      **ERRORS, **NOT_FOUND},
                           summary="Download a finished export"),
)
class ExportJobViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Exports of the ledger (general ledger, journal, trial balance, account statement as CSV or XLSX; the whole
    ledger as SAF-T XML), written by a Celery task, each with control totals and the last seal it covers."""

    serializer_class = ExportJobSerializer
    permission_classes = [MayExport]
    pagination_class = Pagination

    def get_queryset(self):
        return jobs_visible_to(self.request.user).select_related("requested_by")

    def create(self, request, *args, **kwargs):
        given = ExportRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        job = services.export_job_create(actor=request.user, **given.validated_data,
                                         idempotency_key=request.headers.get("Idempotency-Key", "").strip() or None)
        job.refresh_from_db()
        return Response(ExportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return file_response(self.get_object())
