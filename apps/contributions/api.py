"""The contributions REST API (/api/v1/contributions/, /api/v1/receipts/).

Every read is scoped by `selectors`: fund administrators and auditors see everything, members their own
organisations', so another organisation's id answers 404, never 403. A contribution is created with a required
`Idempotency-Key` header (a retried request returns the first contribution with 200); confirm, reject and correct
are for fund administrators, withdraw for the organisation's finance officers. The services own every rule: their
typed refusals become 400/403/409 with `code`, `detail` and the `field` at fault.
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

from apps.core.api import Pagination
from apps.core.roles import is_fund_admin
from apps.ledger.serializers import ErrorSerializer
from apps.organizations.models import MembershipRole
from apps.organizations.selectors import memberships_of

from . import selectors, services
from .filters import ContributionFilter, ReceiptFilter
from .models import Contribution
from .serializers import (
    ContributionCreateSerializer,
    ContributionDetailSerializer,
    ContributionSerializer,
    ReasonSerializer,
    ReceiptSerializer,
)

MAX_KEY_LENGTH = 200
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `field` names what to fix."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such record, or not yours.")}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="Conflicts with the contribution's state.")}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="A unique key per contribution (e.g. a UUID). Sending the same request again returns the first "
                "contribution; the same key with a different body is refused (409).",
)


def may_submit_anything(user) -> bool:
    return is_fund_admin(user) or memberships_of(user).filter(role=MembershipRole.FINANCE_OFFICER).exists()


@extend_schema_view(
    list=extend_schema(responses={200: ContributionSerializer(many=True), **ERRORS},
                       summary="Contributions you may see"),
    retrieve=extend_schema(responses={200: ContributionDetailSerializer, **ERRORS, **NOT_FOUND},
                           summary="A contribution with its history"),
)
class ContributionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Contributions to the win-win funds: submitted by organisations, confirmed by fund administrators."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    filterset_class = ContributionFilter

    def get_queryset(self):
        contributions = (selectors.contributions_visible_to(self.request.user)
                         .select_related("receipt", "receipt__fund").prefetch_related("beneficiaries"))
        if self.detail:
            contributions = contributions.prefetch_related("events")
        return contributions

    def get_serializer_class(self):
        return ContributionDetailSerializer if self.detail else ContributionSerializer

    def _answer(self, contribution: Contribution, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("events").get(pk=contribution.pk)
        return Response(ContributionDetailSerializer(fresh).data, status=code)

    @extend_schema(request=ContributionCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: ContributionDetailSerializer, 200: ContributionDetailSerializer, **ERRORS,
                              **CONFLICT},
                   summary="Submit a contribution (finance officers of the organisation)")
    def create(self, request: Request) -> Response:
        if not may_submit_anything(request.user):
            raise PermissionDenied("Only an organisation's finance officers may submit contributions.")
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            raise ValidationError({"idempotency_key": [
                f"Send an Idempotency-Key header (1–{MAX_KEY_LENGTH} characters, e.g. a UUID) with each new "
                "contribution, so that a retried request cannot submit it twice."]})
        serializer = ContributionCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        contribution = services.contribution_submit(actor=request.user, idempotency_key=key,
                            **serializer.validated_data)
        replayed = getattr(contribution, "is_replay", False)
        return self._answer(contribution, status.HTTP_200_OK if replayed else status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ContributionDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Confirm that the money was received (fund administrators)")
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk=None) -> Response:
        contribution = services.contribution_confirm(actor=request.user, contribution=self.get_object())
        return self._answer(contribution)

    @extend_schema(request=ReasonSerializer, responses={200: ContributionDetailSerializer, **ERRORS, **NOT_FOUND,
                                                        **CONFLICT},
                   summary="Withdraw a contribution before it is confirmed (finance officers)")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        return self._with_reason(request, services.contribution_withdraw)

    @extend_schema(request=ReasonSerializer, responses={200: ContributionDetailSerializer, **ERRORS, **NOT_FOUND,
                                                        **CONFLICT},
                   summary="Reject a contribution before it is confirmed (fund administrators)")
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk=None) -> Response:
        return self._with_reason(request, services.contribution_reject)

    @extend_schema(request=ReasonSerializer, responses={200: ContributionDetailSerializer, **ERRORS, **NOT_FOUND,
                                                        **CONFLICT},
                   summary="Correct a confirmed contribution by reversing it (fund administrators)")
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk=None) -> Response:
        return self._with_reason(request, services.contribution_correct)

    def _with_reason(self, request: Request, service) -> Response:
        contribution = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(service(actor=request.user, contribution=contribution,
                                 reason=body.validated_data["reason"]))


@extend_schema_view(
    list=extend_schema(responses={200: ReceiptSerializer(many=True), **ERRORS}, summary="Donation receipts"),
    retrieve=extend_schema(responses={200: ReceiptSerializer, **ERRORS, **NOT_FOUND}, summary="A donation receipt"),
)
class ReceiptViewSet(viewsets.ReadOnlyModelViewSet):
    """Donation receipts the funds issued, numbered per fund and fiscal year; cancelled ones are kept."""

    serializer_class = ReceiptSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    filterset_class = ReceiptFilter

    def get_queryset(self):
        return selectors.receipts_visible_to(self.request.user).order_by("fund_id", "fiscal_year", "number")
