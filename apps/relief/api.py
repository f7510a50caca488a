"""The relief REST API (/api/v1/relief/...): sanctions, fine payments, claims with their documents, and the fund.

Every read is scoped by `selectors`: fund administrators and auditors see everything; a company's members see the
sanctions against it and the claims it filed, so another company's id answers 404, never 403. Creating a
sanction, a payment or a claim needs an `Idempotency-Key` header (a retried request returns the first record with
200). Imposing, collecting, waiving and reviewing are for fund administrators; filing, answering and adding
documents for the claimant's finance officers; auditors read and are refused every write (403). The services own
every rule: their typed refusals become 400/403/409 with `code`, `detail` and the `field` at fault.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import Pagination
from apps.core.permissions import FundAdminOrAuditorReadOnly
from apps.core.roles import is_fund_admin
from apps.ledger.serializers import ErrorSerializer

from . import selectors, services
from .documents import content_type_of
from .filters import ClaimFilter, FinePaymentFilter, SanctionFilter
from .models import FinePayment, Sanction
from .serializers import (
    ClaimAnswerSerializer,
    ClaimApproveSerializer,
    ClaimCreateSerializer,
    ClaimDetailSerializer,
    ClaimDocumentSerializer,
    ClaimInfoRequestSerializer,
    ClaimPaySerializer,
    ClaimSerializer,
    ClaimUploadSerializer,
    FinePaymentCreateSerializer,
    FinePaymentSerializer,
    ReliefFundSerializer,
    ReliefReasonSerializer,
    SanctionCreateSerializer,
    SanctionSerializer,
)

MAX_KEY_LENGTH = 150
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `field` names what to fix."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such record, or not yours.")}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="Conflicts with the record's state, the fund's "
                                                              "cash or an earlier request.")}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="A unique key per new record (e.g. a UUID). Sending the same request again returns the first "
                "record; the same key with a different body is refused (409).",
)


def _idempotency_key(request: Request, scope: str) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError({"idempotency_key": [
            f"Send an Idempotency-Key header (1–{MAX_KEY_LENGTH} characters, e.g. a UUID) with each new record, so "
            "that a retried request cannot create it twice."]})
    return f"api:{scope}:{key}"


def _require_administrator(request: Request) -> None:
    if not is_fund_admin(request.user):
        raise PermissionDenied("Only fund administrators may do this.")


@extend_schema_view(
    list=extend_schema(responses={200: SanctionSerializer(many=True), **ERRORS},
                       summary="Sanctions you may see (with what was paid and what is outstanding)"),
    retrieve=extend_schema(responses={200: SanctionSerializer, **ERRORS, **NOT_FOUND}, summary="A sanction"),
)
class SanctionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sanctions against companies: violation, corrective order, penalty points, fine and its payment status."""

    serializer_class = SanctionSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    filterset_class = SanctionFilter

    def get_queryset(self):
        return selectors.sanctions_visible_to(self.request.user).order_by("-decision_date", "-pk")

    def _answer(self, sanction, code=status.HTTP_200_OK) -> Response:
        return Response(SanctionSerializer(self.get_queryset().get(pk=sanction.pk)).data, status=code)

    @extend_schema(request=SanctionCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: SanctionSerializer, 200: SanctionSerializer, **ERRORS, **CONFLICT},
                   summary="Impose a sanction and its fine (fund administrators; fine ≤ ₩5,000,000,000)")
    def create(self, request: Request) -> Response:
        _require_administrator(request)
        key = _idempotency_key(request, "sanction")
        body = SanctionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        existed = Sanction.objects.filter(idempotency_key=key).exists()
        sanction = services.sanction_impose(actor=request.user, idempotency_key=key, **body.validated_data)
        return self._answer(sanction, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(request=ReliefReasonSerializer,
                   responses={200: SanctionSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Waive what is outstanding on the fine (fund administrators)")
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk=None) -> Response:
        sanction = self.get_object()
        _require_administrator(request)
        body = ReliefReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.sanction_waive(actor=request.user, sanction=sanction,
                                                    reason=body.validated_data["reason"]))


@extend_schema_view(
    list=extend_schema(responses={200: FinePaymentSerializer(many=True), **ERRORS}, summary="Fine payments"),
    retrieve=extend_schema(responses={200: FinePaymentSerializer, **ERRORS, **NOT_FOUND}, summary="A fine payment"),
)
class FinePaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Money collected against fines; each is the relief fund's cash."""

    serializer_class = FinePaymentSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    filterset_class = FinePaymentFilter

    def get_queryset(self):
        return selectors.payments_visible_to(self.request.user).order_by("-paid_on", "-pk")

    @extend_schema(request=FinePaymentCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: FinePaymentSerializer, 200: FinePaymentSerializer, **ERRORS, **CONFLICT},
                   summary="Record a fine payment (fund administrators; never more than is outstanding)")
    def create(self, request: Request) -> Response:
        _require_administrator(request)
        key = _idempotency_key(request, "fine-payment")
        body = FinePaymentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        existed = FinePayment.objects.filter(idempotency_key=key).exists()
        payment = services.fine_payment_record(actor=request.user, idempotency_key=key, **body.validated_data)
        return Response(FinePaymentSerializer(payment).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(responses={200: ClaimSerializer(many=True), **ERRORS}, summary="Relief claims you may see"),
    retrieve=extend_schema(responses={200: ClaimDetailSerializer, **ERRORS, **NOT_FOUND},
                           summary="A relief claim with its documents and history"),
)
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Relief claims: filed by a harmed company with documents, reviewed and paid by the fund."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    filterset_class = ClaimFilter
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        claims = selectors.claims_visible_to(self.request.user).order_by("-created_at", "-pk")
        return claims.prefetch_related("documents", "events") if self.detail else claims

    def get_serializer_class(self):
        return ClaimDetailSerializer if self.detail else ClaimSerializer

    def _answer(self, claim, code=status.HTTP_200_OK) -> Response:
        fresh = selectors.claims_visible_to(self.request.user).prefetch_related("documents", "events").get(pk=claim.pk)
        return Response(ClaimDetailSerializer(fresh).data, status=code)

    @extend_schema(request={"multipart/form-data": ClaimCreateSerializer}, parameters=[IDEMPOTENCY_KEY],
                   responses={201: ClaimDetailSerializer, 200: ClaimDetailSerializer, **ERRORS, **CONFLICT},
                   summary="File a relief claim with documents (the claimant's finance officers)")
    def create(self, request: Request) -> Response:
        key = _idempotency_key(request, f"claim:{request.user.pk}")
        body = ClaimCreateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        claim = services.claim_file(actor=request.user, idempotency_key=key, **body.validated_data)
        return self._answer(claim, status.HTTP_200_OK if claim.is_replay else status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": ClaimUploadSerializer},
                   responses={201: ClaimDocumentSerializer(many=True), **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Add documents to a claim in review (the claimant's finance officers)")
    @action(detail=True, methods=["post"])
    def documents(self, request: Request, pk=None) -> Response:
        claim = self.get_object()
        body = ClaimUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        stored = services.claim_documents_add(actor=request.user, claim=claim,
                                              documents=body.validated_data["documents"])
        return Response(ClaimDocumentSerializer(stored, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": ClaimAnswerSerializer},
                   responses={200: ClaimDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Answer an information request, with documents (the claimant's finance officers)")
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk=None) -> Response:
        claim = self.get_object()
        body = ClaimAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.claim_answer(actor=request.user, claim=claim, **body.validated_data))

    def _review(self, request: Request, serializer_class, service) -> Response:
        claim = self.get_object()
        _require_administrator(request)
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(service(actor=request.user, claim=claim, **body.validated_data))

    @extend_schema(request=ClaimInfoRequestSerializer, responses={200: ClaimDetailSerializer, **ERRORS, **NOT_FOUND,
                                                         **CONFLICT},
                   summary="Ask the claimant for more information (fund administrators)")
    @action(detail=True, methods=["post"], url_path="request-info")
    def request_info(self, request: Request, pk=None) -> Response:
        return self._review(request, ClaimInfoRequestSerializer, services.claim_request_info)

    @extend_schema(request=ClaimApproveSerializer, responses={200: ClaimDetailSerializer, **ERRORS, **NOT_FOUND,
                                                         **CONFLICT},
                   summary="Approve an amount, reserving it from the fund's available cash (fund administrators)")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        return self._review(request, ClaimApproveSerializer, services.claim_approve)

    @extend_schema(request=ReliefReasonSerializer, responses={200: ClaimDetailSerializer, **ERRORS, **NOT_FOUND,
                                                        **CONFLICT},
                   summary="Reject a claim with a reason (fund administrators)")
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk=None) -> Response:
        return self._review(request, ReliefReasonSerializer, services.claim_reject)

    @extend_schema(request=ClaimPaySerializer,
                   responses={200: ClaimDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Pay an approved claim (fund administrators)")
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk=None) -> Response:
        return self._review(request, ClaimPaySerializer, services.claim_pay)


class DocumentDownloadView(APIView):
    """A claim's document, for those who may see the claim; sent as an attachment."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS, **NOT_FOUND},
                   summary="Download a claim's document")
    def get(self, request: Request, pk: int):
        document = selectors.documents_visible_to(request.user).filter(pk=pk).first()
        if document is None:
            raise Http404("no such document")
        response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name,
                                content_type=content_type_of(document.kind))
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class FundView(APIView):
    """The relief fund's cash, what approved claims reserve of it and what is available, with the year's totals
    of fines and claims (fund administrators and auditors)."""

    permission_classes = [FundAdminOrAuditorReadOnly]

    @extend_schema(responses={200: ReliefFundSerializer, **ERRORS}, summary="The relief fund's cash and totals")
    def get(self, request: Request) -> Response:
        cash, totals = selectors.fund_cash(), selectors.relief_totals()
        return Response(ReliefFundSerializer({
            "cash": cash.balance, "reserved": cash.reserved, "available": cash.available,
            "fines_imposed": totals.fines_imposed, "fines_collected": totals.fines_collected,
            "fines_waived": totals.fines_waived, "fines_outstanding": totals.fines_outstanding,
            "claims_approved": totals.claims_approved, "claims_paid": totals.claims_paid,
            "claims_in_review": totals.claims_in_review,
        }).data)
