"""The grants REST API (/api/v1/grants/projects/, /api/v1/grants/awards/, /api/v1/grants/tranches/).

Every read is scoped by `selectors`: fund administrators and auditors see everything, members the projects their
company leads or takes part in and the awards they lead or received, so another company's id answers 404, never
403. A project is proposed (finance officers of the lead) and an award approved (fund administrators) with a
required `Idempotency-Key` header, and a tranche is paid with one too: a retried request returns the first result
with 200. Approve, reject, award, cancel and pay are for fund administrators only. The services own every rule;
their typed refusals become 400/403/409 with `code`, `detail` and the `field` at fault.
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

from . import selectors, services
from .filters import AwardFilter, ProjectFilter, TrancheFilter
from .serializers import (
    AwardCreateSerializer,
    AwardSerializer,
    GrantReasonSerializer,
    ProjectCreateSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    TranchePaySerializer,
    TrancheSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `field` names what to fix."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed."),
}
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such record, or not yours.")}
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="A cap reached, the fund's cash short, the record's "
                                                              "state, or a reused idempotency key.")}


def _key_parameter(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
        description=f"A unique key per {what} (e.g. a UUID). Sending the same request again returns the first "
                    f"{what}; the same key with a different body is refused (409).",
    )


def _idempotency_key(request: Request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > services.MAX_KEY_LENGTH:
        raise ValidationError({"idempotency_key": [
            f"Send an Idempotency-Key header (1–{services.MAX_KEY_LENGTH} characters, e.g. a UUID), so that a "
            "retried request cannot do it twice."]})
    return key


def _require_fund_admin(request: Request, doing: str) -> None:
    if not is_fund_admin(request.user):
        raise PermissionDenied(f"Only fund administrators may {doing}.")


def _created(obj, data) -> Response:
    return Response(data, status=status.HTTP_200_OK if getattr(obj, "is_replay", False) else status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(responses={200: ProjectSerializer(many=True), **ERRORS}, summary="Projects you may see"),
    retrieve=extend_schema(responses={200: ProjectDetailSerializer, **ERRORS, **NOT_FOUND},
                           summary="A project with its history"),
)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Joint overseas expansion projects: proposed by a large company with its SMEs, decided by the fund."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    filterset_class = ProjectFilter

    def get_queryset(self):
        projects = selectors.projects_visible_to(self.request.user).prefetch_related("participants")
        return projects.prefetch_related("events") if self.detail else projects

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.detail else ProjectSerializer

    def _answer(self, project, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("events").get(pk=project.pk)
        return Response(ProjectDetailSerializer(fresh).data, status=code)

    @extend_schema(request=ProjectCreateSerializer, parameters=[_key_parameter("project")],
                   responses={201: ProjectDetailSerializer, 200: ProjectDetailSerializer, **ERRORS, **CONFLICT},
                   summary="Propose a project (finance officers of the lead company)")
    def create(self, request: Request) -> Response:
        if not (is_fund_admin(request.user) or selectors.proposable_leads(request.user).exists()):
            raise PermissionDenied("Only a large company's finance officers may propose joint expansion projects.")
        key = _idempotency_key(request)
        body = ProjectCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        project = services.project_propose(actor=request.user, idempotency_key=key, **body.validated_data)
        return self._answer(project, status.HTTP_200_OK if project.is_replay else status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ProjectDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Approve a proposed project (fund administrators)")
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        project = self.get_object()
        _require_fund_admin(request, "approve projects")
        return self._answer(services.project_approve(actor=request.user, project=project))

    @extend_schema(request=GrantReasonSerializer, responses={200: ProjectDetailSerializer, **ERRORS, **NOT_FOUND,
                                                        **CONFLICT},
                   summary="Reject a proposed project, saying why (fund administrators)")
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk=None) -> Response:
        project = self.get_object()
        _require_fund_admin(request, "reject projects")
        body = GrantReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.project_reject(actor=request.user, project=project,
                                                    reason=body.validated_data["reason"]))


@extend_schema_view(
    list=extend_schema(responses={200: AwardSerializer(many=True), **ERRORS}, summary="Awards you may see"),
    retrieve=extend_schema(responses={200: AwardSerializer, **ERRORS, **NOT_FOUND},
                           summary="An award with its tranches"),
)
class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Awards to participating SMEs: each encumbers the fund's cash and is paid in tranches."""

    serializer_class = AwardSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    filterset_class = AwardFilter

    def get_queryset(self):
        return selectors.awards_visible_to(self.request.user).prefetch_related("tranches")

    def _answer(self, award, code: int = status.HTTP_200_OK) -> Response:
        return Response(AwardSerializer(self.get_queryset().get(pk=award.pk)).data, status=code)

    @extend_schema(request=AwardCreateSerializer, parameters=[_key_parameter("award")],
                   responses={201: AwardSerializer, 200: AwardSerializer, **ERRORS, **CONFLICT},
                   summary="Approve an award to a participating SME (fund administrators)")
    def create(self, request: Request) -> Response:
        _require_fund_admin(request, "approve awards")
        key = _idempotency_key(request)
        body = AwardCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        award = services.award_approve(actor=request.user, idempotency_key=key, **body.validated_data)
        return self._answer(award, status.HTTP_200_OK if award.is_replay else status.HTTP_201_CREATED)

    @extend_schema(request=GrantReasonSerializer, responses={200: AwardSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Cancel an award; what is left of it is released (fund administrators)")
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk=None) -> Response:
        award = self.get_object()
        _require_fund_admin(request, "cancel awards")
        body = GrantReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.award_cancel(actor=request.user, award=award,
                                                  reason=body.validated_data["reason"]))

    @extend_schema(request=TranchePaySerializer, parameters=[_key_parameter("tranche")],
                   responses={201: TrancheSerializer, 200: TrancheSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
                   summary="Pay a tranche of an award (fund administrators)")
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk=None) -> Response:
        award = self.get_object()
        _require_fund_admin(request, "pay tranches")
        key = _idempotency_key(request)
        body = TranchePaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        tranche = services.tranche_pay(actor=request.user, award=award, idempotency_key=key, **body.validated_data)
        return _created(tranche, TrancheSerializer(tranche).data)


@extend_schema_view(
    list=extend_schema(responses={200: TrancheSerializer(many=True), **ERRORS}, summary="Tranches you may see"),
    retrieve=extend_schema(responses={200: TrancheSerializer, **ERRORS, **NOT_FOUND}, summary="A tranche"),
)
class TrancheViewSet(viewsets.ReadOnlyModelViewSet):
    """Tranches paid on awards, each one ledger entry."""

    serializer_class = TrancheSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    filterset_class = TrancheFilter

    def get_queryset(self):
        return selectors.tranches_visible_to(self.request.user).order_by("award_id", "paid_date", "pk")
