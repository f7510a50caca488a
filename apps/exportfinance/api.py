"""The export-finance REST API (/api/v1/export-finance/...).

Every read is scoped by `selectors`: fund administrators and auditors see everything, a company's members only
their company's projects and what hangs off them, so another company's id answers 404, never 403. Fund
administrators open projects, disburse, record repayments and receipts; a beneficiary's finance officer (or an
administrator for it) files profit reports. Creating requests that a retry could double take a required
`Idempotency-Key` header. The services own every rule; their typed refusals become 400/403/409 with the field.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.permissions import FundAdminOrAuditorReadOnly
from apps.core.roles import is_fund_admin
from apps.ledger.serializers import ErrorSerializer
from apps.organizations.selectors import organizations_submittable_by

from . import selectors, services
from .models import RecyclingRule
from .serializers import (
    ExportDisbursementSerializer,
    ExportMovementCreateSerializer,
    ExportProjectCreateSerializer,
    ExportProjectSerializer,
    ExportRepaymentSerializer,
    ProfitReportCreateSerializer,
    ProfitReportSerializer,
    ProfitShareReceiptSerializer,
    ProfitShareSerializer,
    RecyclingRuleSerializer,
)

MAX_KEY_LENGTH = 200
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `field` names what to fix."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such record, or not yours.")}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="Conflicts with the record's state or an earlier "
                                                              "request.")}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="A unique key per request (e.g. a UUID). Sending the same request again returns the first result; "
                "the same key with a different body is refused (409).",
)


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


def _idempotency_key(request: Request, what: str) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError({"idempotency_key": [
            f"Send an Idempotency-Key header (1–{MAX_KEY_LENGTH} characters, e.g. a UUID) with each new {what}, so "
            "that a retried request cannot record it twice."]})
    return key


def _require_administrator(request: Request) -> None:
    if not is_fund_admin(request.user):
        raise PermissionDenied("Only fund administrators may do this; auditors and companies may read.")


def _replayed(obj) -> int:
    return status.HTTP_200_OK if getattr(obj, "is_replay", False) else status.HTTP_201_CREATED


@extend_schema_view(
    list=extend_schema(responses={200: ExportProjectSerializer(many=True), **ERRORS},
                       summary="Export projects you may see"),
    retrieve=extend_schema(responses={200: ExportProjectSerializer, **ERRORS, **NOT_FOUND},
                           summary="An export project"),
)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Export projects of the Strategic Export Finance Fund: committed, disbursed, repaid and outstanding."""

    serializer_class = ExportProjectSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        projects = selectors.projects_visible_to(self.request.user).order_by("-start_date", "-pk")
        beneficiary = _int_param(self.request, "beneficiary")
        return projects.filter(beneficiary_id=beneficiary) if beneficiary is not None else projects

    @extend_schema(request=ExportProjectCreateSerializer, responses={201: ExportProjectSerializer, **ERRORS},
                   summary="Open an export project (fund administrators)")
    def create(self, request: Request) -> Response:
        _require_administrator(request)
        body = ExportProjectCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = services.project_create(actor=request.user, **body.validated_data)
        return Response(ExportProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExportMovementCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: ExportDisbursementSerializer, 200: ExportDisbursementSerializer, **ERRORS,
                              **NOT_FOUND, **CONFLICT},
                   summary="Disburse part of the commitment (fund administrators)")
    @action(detail=True, methods=["post"])
    def disburse(self, request: Request, pk=None) -> Response:
        return self._move(request, services.disbursement_post, ExportDisbursementSerializer, "disbursement")

    @extend_schema(request=ExportMovementCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: ExportRepaymentSerializer, 200: ExportRepaymentSerializer, **ERRORS, **NOT_FOUND,
                              **CONFLICT},
                   summary="Record a repayment (fund administrators)")
    @action(detail=True, methods=["post"])
    def repay(self, request: Request, pk=None) -> Response:
        return self._move(request, services.repayment_post, ExportRepaymentSerializer, "repayment")

    def _move(self, request: Request, service, serializer, what: str) -> Response:
        project = self.get_object()
        _require_administrator(request)
        key = _idempotency_key(request, what)
        body = ExportMovementCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        movement = service(actor=request.user, project=project, idempotency_key=key, **body.validated_data)
        return Response(serializer(movement).data, status=_replayed(movement))


@extend_schema_view(
    list=extend_schema(responses={200: ExportDisbursementSerializer(many=True), **ERRORS}, summary="Disbursements"),
    retrieve=extend_schema(responses={200: ExportDisbursementSerializer, **ERRORS, **NOT_FOUND},
                           summary="A disbursement"),
)
class DisbursementViewSet(viewsets.ReadOnlyModelViewSet):
    """Money paid out to export projects (Dr loans receivable or project investments / Cr cash)."""

    serializer_class = ExportDisbursementSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        rows = selectors.disbursements_visible_to(self.request.user).order_by("-effective_date", "-pk")
        project = _int_param(self.request, "project")
        return rows.filter(project_id=project) if project is not None else rows


@extend_schema_view(
    list=extend_schema(responses={200: ExportRepaymentSerializer(many=True), **ERRORS}, summary="Repayments"),
    retrieve=extend_schema(responses={200: ExportRepaymentSerializer, **ERRORS, **NOT_FOUND}, summary="A repayment"),
)
class RepaymentViewSet(viewsets.ReadOnlyModelViewSet):
    """Money the beneficiaries paid back (Dr cash / Cr loans receivable or project investments)."""

    serializer_class = ExportRepaymentSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        rows = selectors.repayments_visible_to(self.request.user).order_by("-effective_date", "-pk")
        project = _int_param(self.request, "project")
        return rows.filter(project_id=project) if project is not None else rows


def _may_report_anything(user) -> bool:
    return is_fund_admin(user) or organizations_submittable_by(user).exists()


@extend_schema_view(
    list=extend_schema(responses={200: ProfitReportSerializer(many=True), **ERRORS}, summary="Profit reports"),
    retrieve=extend_schema(responses={200: ProfitReportSerializer, **ERRORS, **NOT_FOUND}, summary="A profit report"),
)
class ProfitReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Profit per project and period, as the beneficiaries report it; corrections supersede, never edit."""

    serializer_class = ProfitReportSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        rows = selectors.reports_visible_to(self.request.user).order_by("-year", "-period", "-pk")
        project = _int_param(self.request, "project")
        return rows.filter(project_id=project) if project is not None else rows

    @extend_schema(request=ProfitReportCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: ProfitReportSerializer, 200: ProfitReportSerializer, **ERRORS, **CONFLICT},
                   summary="Report a project's profit for a period, or correct it with a reason (the "
                           "beneficiary's finance officers, or fund administrators)")
    def create(self, request: Request) -> Response:
        if not _may_report_anything(request.user):
            raise PermissionDenied("Only a beneficiary's finance officers (or fund administrators) may report "
                                   "profit.")
        key = _idempotency_key(request, "profit report")
        body = ProfitReportCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        report = services.profit_report_submit(actor=request.user, idempotency_key=key, **body.validated_data)
        return Response(ProfitReportSerializer(report).data, status=_replayed(report))


@extend_schema_view(
    list=extend_schema(responses={200: ProfitShareSerializer(many=True), **ERRORS},
                       summary="Profit shares: due, received, channelled"),
    retrieve=extend_schema(responses={200: ProfitShareSerializer, **ERRORS, **NOT_FOUND}, summary="A profit share"),
)
class ProfitShareViewSet(viewsets.ReadOnlyModelViewSet):
    """The levy of each project and period: floor(base × rate), received once, part of it channelled to the
    destination fund."""

    serializer_class = ProfitShareSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        rows = selectors.shares_visible_to(self.request.user).order_by("-year", "-period", "-pk")
        for name, lookup in (("project", "project_id"), ("year", "year")):
            value = _int_param(self.request, name)
            if value is not None:
                rows = rows.filter(**{lookup: value})
        share_status = self.request.query_params.get("status")
        return rows.filter(status=share_status) if share_status else rows

    @extend_schema(request=ProfitShareReceiptSerializer, responses={200: ProfitShareSerializer, **ERRORS, **NOT_FOUND,
                                                         **CONFLICT},
                   summary="Record that the share was paid, and channel its part (fund administrators)")
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk=None) -> Response:
        share = self.get_object()
        _require_administrator(request)
        body = ProfitShareReceiptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        share = services.profit_share_receive(actor=request.user, share=share,
                                              effective_date=body.validated_data.get("effective_date"))
        return Response(ProfitShareSerializer(share).data)

    @extend_schema(request=ProfitShareReceiptSerializer, responses={200: ProfitShareSerializer, **ERRORS,
                                                                    **NOT_FOUND, **CONFLICT},
                   summary="Settle the channelled part in cash with the destination fund (fund administrators)")
    @action(detail=True, methods=["post"])
    def settle(self, request: Request, pk=None) -> Response:
        share = self.get_object()
        _require_administrator(request)
        body = ProfitShareReceiptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        share = services.channel_settle(actor=request.user, share=share,
                                        effective_date=body.validated_data.get("effective_date"))
        return Response(ProfitShareSerializer(share).data)


@extend_schema_view(
    list=extend_schema(responses={200: RecyclingRuleSerializer(many=True), **ERRORS}, summary="Recycling rules"),
    retrieve=extend_schema(responses={200: RecyclingRuleSerializer, **ERRORS, **NOT_FOUND},
                           summary="A recycling rule"),
)
class RecyclingRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """The profit-recycling rules with the days they apply (fund administrators and auditors; edited in the back
    office)."""

    serializer_class = RecyclingRuleSerializer
    permission_classes = [FundAdminOrAuditorReadOnly]
    queryset = RecyclingRule.objects.order_by("valid_from")
