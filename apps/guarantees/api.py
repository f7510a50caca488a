"""The win-win finance pool's REST API, under /api/v1/guarantees/.

Every read is scoped by `selectors`: fund administrators and auditors see everything, a contributor's members its
programs, earmarks, transfers and the guarantees under its programs, an SME's members the guarantees it received —
so another company's id answers 404, never 403. Auditors only read (403 on every write). Creating an earmark, a
transfer or a guarantee takes a required `Idempotency-Key` header (a retried request returns the first record with
200). The services own every rule; their typed refusals become 400/403/409 with `code`, `detail` and `field`.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import Pagination
from apps.core.roles import is_auditor, is_fund_admin
from apps.ledger.serializers import ErrorSerializer

from . import selectors, services
from .filters import GuaranteeFilter, ProgramFilter, TransferFilter
from .serializers import (
    EarmarkCreateSerializer,
    EarmarkSerializer,
    GuaranteeCreateSerializer,
    GuaranteeSerializer,
    InstitutionSerializer,
    ProgramSerializer,
    StatusChangeSerializer,
    TransferCreateSerializer,
    TransferSerializer,
    UtilisationSerializer,
)

MAX_KEY_LENGTH = 200
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `field` names what to fix."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such record, or not yours.")}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="A limit or the record's state refuses it.")}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="A unique key per record (e.g. a UUID). Sending the same request again returns the first record; "
                "the same key with a different body is refused (409).",
)


class SignedInAuditorsRead(BasePermission):
    """Signed in; an auditor (who is not also a fund administrator) may only read."""

    message = "Auditors may read the win-win finance pool but change nothing."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in SAFE_METHODS or is_fund_admin(user) or not is_auditor(user)


class FundAdministratorsWrite(SignedInAuditorsRead):
    message = "Only fund administrators may transfer money and record guarantees."

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in SAFE_METHODS or is_fund_admin(request.user)


def idempotency_key(request: Request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError({"idempotency_key": [
            f"Send an Idempotency-Key header (1–{MAX_KEY_LENGTH} characters, e.g. a UUID) with each new record, so "
            "that a retried request cannot make it twice."]})
    return key


def created(serializer_class, record) -> Response:
    code = status.HTTP_200_OK if getattr(record, "is_replay", False) else status.HTTP_201_CREATED
    return Response(serializer_class(record).data, status=code)


@extend_schema_view(
    list=extend_schema(responses={200: InstitutionSerializer(many=True), **ERRORS}, summary="Guarantee institutions"),
    retrieve=extend_schema(responses={200: InstitutionSerializer, **ERRORS, **NOT_FOUND},
                           summary="A guarantee institution"),
)
class InstitutionViewSet(viewsets.ReadOnlyModelViewSet):
    """KODIT, KIBO and K-SURE: the institutions that give the pool's linked guarantees."""

    serializer_class = InstitutionSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.institutions_visible_to(self.request.user)


@extend_schema_view(
    list=extend_schema(responses={200: ProgramSerializer(many=True), **ERRORS},
                       summary="Guarantee programs you may see, with their capacity today"),
    retrieve=extend_schema(responses={200: ProgramSerializer, **ERRORS, **NOT_FOUND}, summary="A guarantee program"),
)
class ProgramViewSet(viewsets.ReadOnlyModelViewSet):
    """Partner-SME programs: a contributor's program at an institution, with its effective-dated leverage."""

    serializer_class = ProgramSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    filterset_class = ProgramFilter

    def get_queryset(self):
        return selectors.with_figures(selectors.programs_visible_to(self.request.user)).prefetch_related(
            "leverage_rules")


@extend_schema_view(
    list=extend_schema(responses={200: EarmarkSerializer(many=True), **ERRORS}, summary="Earmarks you may see"),
    retrieve=extend_schema(responses={200: EarmarkSerializer, **ERRORS, **NOT_FOUND}, summary="An earmark"),
)
class EarmarkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Contributions to the pool earmarked for a guarantee institution and program."""

    serializer_class = EarmarkSerializer
    permission_classes = [SignedInAuditorsRead]
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.earmarks_visible_to(self.request.user)

    @extend_schema(request=EarmarkCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: EarmarkSerializer, 200: EarmarkSerializer, **ERRORS, **CONFLICT},
                   summary="Earmark a wwfp contribution (the contributor's finance officers, fund administrators)")
    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        body = EarmarkCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        earmark = services.earmark_create(actor=request.user, idempotency_key=key, **body.validated_data)
        return created(EarmarkSerializer, earmark)


@extend_schema_view(
    list=extend_schema(responses={200: TransferSerializer(many=True), **ERRORS}, summary="Transfers you may see"),
    retrieve=extend_schema(responses={200: TransferSerializer, **ERRORS, **NOT_FOUND},
                           summary="A transfer to a guarantee institution"),
)
class TransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Pool money transferred to guarantee institutions, each posted on the wwfp ledger."""

    serializer_class = TransferSerializer
    permission_classes = [FundAdministratorsWrite]
    pagination_class = Pagination
    filterset_class = TransferFilter

    def get_queryset(self):
        return selectors.transfers_visible_to(self.request.user)

    @extend_schema(request=TransferCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: TransferSerializer, 200: TransferSerializer, **ERRORS, **CONFLICT},
                   summary="Transfer earmarked pool money to an institution (fund administrators)")
    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        body = TransferCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transfer = services.transfer_create(actor=request.user, idempotency_key=key, **body.validated_data)
        return created(TransferSerializer, transfer)


@extend_schema_view(
    list=extend_schema(responses={200: GuaranteeSerializer(many=True), **ERRORS}, summary="Guarantees you may see"),
    retrieve=extend_schema(responses={200: GuaranteeSerializer, **ERRORS, **NOT_FOUND},
                           summary="A guarantee with its history"),
)
class GuaranteeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Guarantees issued to the contributors' partner SMEs under the pool's programs."""

    serializer_class = GuaranteeSerializer
    permission_classes = [FundAdministratorsWrite]
    pagination_class = Pagination
    filterset_class = GuaranteeFilter

    def get_queryset(self):
        return selectors.guarantees_visible_to(self.request.user).prefetch_related("events")

    @extend_schema(request=GuaranteeCreateSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: GuaranteeSerializer, 200: GuaranteeSerializer, **ERRORS, **CONFLICT},
                   summary="Record a guarantee issued to a partner SME (fund administrators)")
    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        body = GuaranteeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        guarantee = services.guarantee_issue(actor=request.user, idempotency_key=key, **body.validated_data)
        fresh = self.get_queryset().get(pk=guarantee.pk)
        fresh.is_replay = guarantee.is_replay
        return created(GuaranteeSerializer, fresh)

    @extend_schema(request=StatusChangeSerializer,
                   responses={200: GuaranteeSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Mark a guarantee repaid, called or cancelled (fund administrators)")
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request: Request, pk=None) -> Response:
        guarantee = self.get_object()
        body = StatusChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.guarantee_status_change(actor=request.user, guarantee=guarantee,
                                         to_status=body.validated_data["status"],
                                         reason=body.validated_data["reason"])
        return Response(GuaranteeSerializer(self.get_queryset().get(pk=guarantee.pk)).data)


class UtilisationView(APIView):
    """The pool against its ₩1.7 trillion target, per contributor and per institution, as far as you may see."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: UtilisationSerializer, **ERRORS}, summary="Utilisation of the win-win finance pool")
    def get(self, request: Request) -> Response:
        return Response(UtilisationSerializer(selectors.pool_utilisation(request.user)).data)
