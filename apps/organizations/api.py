"""The organisations REST API (/api/v1/organizations/).

Every read is scoped by `selectors.organizations_visible_to`: fund administrators and auditors see every
organisation, members only their own, so another organisation's id answers 404, never 403. Only fund
administrators register or change organisations, through `services`, which own every rule; a refusal names the
field at fault (400).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import Pagination
from apps.core.roles import is_auditor, is_fund_admin
from apps.ledger.serializers import ErrorSerializer

from . import selectors, services
from .filters import OrganizationFilter
from .models import Organization
from .permissions import FundAdminWritesScopedReads
from .serializers import MeSerializer, OrganizationSerializer

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `field` names what to fix."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed."),
}
READ_ERRORS = {**ERRORS, 404: OpenApiResponse(ErrorSerializer, description="No such organisation, or not yours.")}


@extend_schema_view(
    list=extend_schema(responses={200: OrganizationSerializer(many=True), **ERRORS},
                       summary="Organisations you may see"),
    retrieve=extend_schema(responses={200: OrganizationSerializer, **READ_ERRORS}, summary="An organisation"),
    create=extend_schema(responses={201: OrganizationSerializer, **ERRORS},
                         summary="Register an organisation (fund administrators)"),
    partial_update=extend_schema(responses={200: OrganizationSerializer, **READ_ERRORS},
                                 summary="Change an organisation (fund administrators)"),
)
class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Organisations taking part in the funds, with their registration numbers and relations."""

    serializer_class = OrganizationSerializer
    permission_classes = [FundAdminWritesScopedReads]
    pagination_class = Pagination
    filterset_class = OrganizationFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.organizations_visible_to(self.request.user).prefetch_related(
            Prefetch("related_parties", queryset=Organization.objects.only("pk")),
            Prefetch("partner_smes", queryset=Organization.objects.only("pk")),
        )

    def perform_create(self, serializer: OrganizationSerializer) -> None:
        serializer.instance = refusals_as_400(services.organization_create, actor=self.request.user,
                                              **serializer.validated_data)

    def perform_update(self, serializer: OrganizationSerializer) -> None:
        refusals_as_400(services.organization_update, actor=self.request.user, organization=serializer.instance,
                        **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(responses={200: MeSerializer, 403: ERRORS[403]}, summary="Your roles and memberships")
    @action(detail=False, filter_backends=[], pagination_class=None)
    def me(self, request: Request) -> Response:
        user = request.user
        body = {"user": user, "is_fund_admin": is_fund_admin(user), "is_auditor": is_auditor(user),
                "memberships": selectors.memberships_of(user)}
        return Response(MeSerializer(body).data, status=status.HTTP_200_OK)


def refusals_as_400(service, **kwargs):
    """A service's refusal becomes a 400 naming its field, in the API's one error shape."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
