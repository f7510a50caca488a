"""The evaluations REST API (/api/v1/evaluations/...).

Performance-sharing records: a company's members read their own (another company's id answers 404), its finance
officers register them (with an `Idempotency-Key` header) and change them until they are confirmed; fund
administrators confirm or reject them; auditors read everything and change nothing. Evidence files are uploaded
and downloaded only through the record's `evidence` endpoint, which checks who asks.
Results: administrators and auditors see every score with its inputs and rule versions; a company sees only its
own grades of published years. Runs, recomputation, publication and reopening are for fund administrators
(auditors may read runs and years).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import Pagination
from apps.core.permissions import FundAdminOrAuditorReadOnly
from apps.core.roles import is_auditor, is_fund_admin
from apps.ledger.serializers import ErrorSerializer
from apps.organizations.selectors import sees_all_organizations

from . import selectors, services
from .files import evidence_response
from .models import EvaluationResult, EvaluationRun, EvaluationYear, SharingRecord
from .serializers import (
    EvaluationResultSerializer,
    EvaluationRunSerializer,
    EvaluationYearSerializer,
    EvidenceUploadSerializer,
    GradeSerializer,
    KindYearSerializer,
    RecordReasonSerializer,
    SharingRecordSerializer,
    SharingRecordWriteSerializer,
)

MAX_KEY_LENGTH = 200
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `field` names what to fix."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such record, or not yours.")}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="Conflicts with the record's or the year's state.")}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="A unique key per record (e.g. a UUID). Sending the same request again returns the first record; "
                "the same key with other details is refused (409).")
FILTERS = [OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description=text)
           for name, text in (("year", "Evaluation year"), ("kind", "sgi, wfi or defence"),
                              ("grade", "excellent, good, fair, average or poor"),
                              ("organization", "Organisation id"))]


class AuditorsOnlyRead(BasePermission):
    """Signed in; an auditor (who is not also an administrator) may only read."""

    message = "Auditors may read the evaluations but change nothing."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        return request.method in SAFE_METHODS or is_fund_admin(user) or not is_auditor(user)


def _filtered(queryset, params, names=("year", "kind", "grade", "organization")):
    for name in names:
        value = params.get(name, "").strip()
        if not value:
            continue
        if name in ("year", "organization") and not value.isdigit():
            raise ValidationError({name: ["Give a whole number."]})
        queryset = queryset.filter(**{f"{name}_id" if name == "organization" else name: value})
    return queryset


def _partners(data: dict) -> list:
    return [(p["organization"], p["tier"]) for p in data["partners"]]


@extend_schema_view(
    list=extend_schema(responses={200: SharingRecordSerializer(many=True), **ERRORS},
                       summary="Performance-sharing records you may see"),
    retrieve=extend_schema(responses={200: SharingRecordSerializer, **ERRORS, **NOT_FOUND},
                           summary="A performance-sharing record with its partners and history"),
)
class SharingRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Performance-sharing records (성과공유제): registered by the principal company, confirmed by the fund."""

    serializer_class = SharingRecordSerializer
    permission_classes = [AuditorsOnlyRead]
    pagination_class = Pagination
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        records = selectors.records_visible_to(self.request.user).prefetch_related(
            "partners__organization", "events").order_by("-contract_date", "-pk")
        params = self.request.query_params
        if params.get("status"):
            records = records.filter(status=params["status"])
        if params.get("organization"):
            records = records.filter(principal_id=_int(params, "organization"))
        if params.get("year"):
            records = records.filter(contract_date__year=_int(params, "year"))
        return records

    def _answer(self, record: SharingRecord, code: int = status.HTTP_200_OK) -> Response:
        return Response(SharingRecordSerializer(self.get_queryset().get(pk=record.pk)).data, status=code)

    @extend_schema(request=SharingRecordWriteSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: SharingRecordSerializer, 200: SharingRecordSerializer, **ERRORS, **CONFLICT},
                   summary="Register a record (finance officers of the principal company)")
    def create(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValidationError({"idempotency_key": [
                f"Send an Idempotency-Key header (1–{MAX_KEY_LENGTH} characters, e.g. a UUID) with each new record, "
                "so that a retried request cannot register it twice."]})
        body = SharingRecordWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        principal = data.pop("principal", None)
        if principal is None:
            raise ValidationError({"principal": ["Name the principal company."]})
        data.pop("version", None)
        partners = _partners(data)
        data.pop("partners")
        record = services.record_create(actor=request.user, principal=principal, partners=partners,
                                        idempotency_key=f"api:{key}", **data)
        return self._answer(record, status.HTTP_200_OK if getattr(record, "is_replay", False)
                            else status.HTTP_201_CREATED)

    @extend_schema(request=SharingRecordWriteSerializer, responses={200: SharingRecordSerializer, **ERRORS,
                                                                    **NOT_FOUND, **CONFLICT},
                   summary="Change a record awaiting confirmation (send `version` to refuse a stale edit)")
    def partial_update(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        body = SharingRecordWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "principal" in data and data.pop("principal").pk != record.principal_id:
            raise ValidationError({"principal": ["A record's principal company cannot change."]})
        partners = _partners(data) if "partners" in data else None
        data.pop("partners", None)
        version = data.pop("version", None)
        record = services.record_update(actor=request.user, record=record, expected_version=version,
                                        partners=partners, **data)
        return self._answer(record)

    @extend_schema(request=None, responses={200: SharingRecordSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Confirm a record (fund administrators)")
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk=None) -> Response:
        return self._answer(services.record_confirm(actor=request.user, record=self.get_object()))

    @extend_schema(request=RecordReasonSerializer, responses={200: SharingRecordSerializer, **ERRORS, **NOT_FOUND,
                                                        **CONFLICT},
                   summary="Reject a record awaiting confirmation, saying why (fund administrators)")
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        body = RecordReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.record_reject(actor=request.user, record=record,
                                                   reason=body.validated_data["reason"]))

    @extend_schema(methods=["GET"], request=None,
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS, **NOT_FOUND},
                   summary="Download the record's evidence file")
    @extend_schema(methods=["POST"], request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={200: SharingRecordSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Attach an evidence file to a record awaiting confirmation")
    @action(detail=True, methods=["get", "post"])
    def evidence(self, request: Request, pk=None):
        record = self.get_object()
        if request.method == "GET":
            return evidence_response(record)
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.record_update(actor=request.user, record=record,
                                                   evidence_file=body.validated_data["file"]))


def _int(params, name: str) -> int:
    value = params.get(name, "")
    if not value.isdigit():
        raise ValidationError({name: ["Give a whole number."]})
    return int(value)


@extend_schema_view(
    list=extend_schema(parameters=FILTERS, responses={200: EvaluationResultSerializer(many=True), **ERRORS},
                       summary="Results you may see (companies: their own published grades only)"),
    retrieve=extend_schema(responses={200: EvaluationResultSerializer, **ERRORS, **NOT_FOUND},
                           summary="A result"),
)
class EvaluationResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Index results per company, year and index. Companies see the grade and honour status, nothing else."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    queryset = EvaluationResult.objects.none()  # the schema's model; requests read `get_queryset`

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EvaluationResult.objects.none()
        results = selectors.results_visible_to(self.request.user).order_by("-year", "kind", "organization_id")
        return _filtered(results, self.request.query_params)

    def get_serializer_class(self):
        return EvaluationResultSerializer if sees_all_organizations(self.request.user) else GradeSerializer


@extend_schema_view(
    list=extend_schema(responses={200: EvaluationRunSerializer(many=True), **ERRORS}, summary="Recomputation runs"),
    retrieve=extend_schema(responses={200: EvaluationRunSerializer, **ERRORS, **NOT_FOUND},
                           summary="A run with its progress"),
)
class EvaluationRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Runs of the recomputation task: status and done/total (fund administrators and auditors)."""

    serializer_class = EvaluationRunSerializer
    permission_classes = [FundAdminOrAuditorReadOnly]
    pagination_class = Pagination

    def get_queryset(self):
        return _filtered(EvaluationRun.objects.order_by("-created_at", "-pk"), self.request.query_params,
                         names=("year", "kind"))


@extend_schema_view(
    list=extend_schema(responses={200: EvaluationYearSerializer(many=True), **ERRORS},
                       summary="Which index years are published"),
    retrieve=extend_schema(responses={200: EvaluationYearSerializer, **ERRORS, **NOT_FOUND},
                           summary="An index year"),
)
class EvaluationYearViewSet(viewsets.ReadOnlyModelViewSet):
    """Publication of each index's year (fund administrators and auditors)."""

    serializer_class = EvaluationYearSerializer
    permission_classes = [FundAdminOrAuditorReadOnly]
    pagination_class = Pagination
    queryset = EvaluationYear.objects.order_by("-year", "kind")


class _AdminCommand(APIView):
    permission_classes = [IsAuthenticated]

    def _body(self, request: Request) -> dict:
        if not is_fund_admin(request.user):
            raise PermissionDenied("Only fund administrators may do this.")
        body = KindYearSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data


class RecomputeView(_AdminCommand):
    @extend_schema(request=KindYearSerializer, responses={202: EvaluationRunSerializer, **ERRORS, **CONFLICT},
                   summary="Recompute an index's year in the background (fund administrators)")
    def post(self, request: Request) -> Response:
        run = services.recompute_request(actor=request.user, **self._body(request))
        return Response(EvaluationRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class PublishView(_AdminCommand):
    @extend_schema(request=KindYearSerializer, responses={200: EvaluationYearSerializer, **ERRORS, **CONFLICT},
                   summary="Publish an index's grades of a year (fund administrators)")
    def post(self, request: Request) -> Response:
        return Response(EvaluationYearSerializer(services.evaluation_publish(actor=request.user,
                                                                             **self._body(request))).data)


class ReopenView(_AdminCommand):
    @extend_schema(request=KindYearSerializer, responses={200: EvaluationYearSerializer, **ERRORS},
                   summary="Reopen a published year so that it may be recomputed (fund administrators)")
    def post(self, request: Request) -> Response:
        return Response(EvaluationYearSerializer(services.evaluation_reopen(actor=request.user,
                                                                            **self._body(request))).data)
