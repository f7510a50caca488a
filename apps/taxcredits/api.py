"""The tax-credits REST API (/api/v1/tax-credits/...).

`statements/?organization=&year=` computes an organisation's statement live from the rules in force;
`issued-statements/` lists, shows and (fund administrators only) issues frozen statements. Fund administrators and
auditors see every organisation; a member only their own, so another organisation answers 404, never 403.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import Pagination
from apps.core.roles import is_fund_admin
from apps.ledger.serializers import ErrorSerializer
from apps.organizations.selectors import organizations_visible_to, sees_all_organizations

from . import selectors, services
from .models import TaxCreditStatement
from .serializers import (
    IssuedTaxCreditStatementSerializer,
    TaxCreditIssueSerializer,
    TaxCreditStatementQuerySerializer,
    TaxCreditStatementSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `field` names what to fix."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed."),
    404: OpenApiResponse(ErrorSerializer, description="No such organisation, or not yours."),
}


def _visible_organization(user, pk):
    organization = organizations_visible_to(user).filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization


def _statement_body(statement: selectors.Statement) -> dict:
    return {"organization": statement.organization, "year": statement.year, "kind": statement.kind,
            "lines": [line.as_json() for line in statement.lines], "total_amount": statement.total_amount,
            "total_excluded": statement.total_excluded, "total_base": statement.total_base,
            "total_credit": statement.total_credit}


class StatementView(APIView):
    """An organisation's art. 8-3 tax-credit statement for a tax year, computed now from the rules in force."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[
        OpenApiParameter("organization", OpenApiTypes.INT, required=True, description="Organisation id."),
        OpenApiParameter("year", OpenApiTypes.INT, required=True, description="Tax year (of the contribution date)."),
    ], responses={200: TaxCreditStatementSerializer, **ERRORS}, summary="Tax-credit statement, computed live")
    def get(self, request: Request) -> Response:
        query = TaxCreditStatementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        organization = _visible_organization(request.user, query.validated_data["organization"])
        statement = selectors.statement_compute(organization=organization, year=query.validated_data["year"])
        return Response(TaxCreditStatementSerializer(_statement_body(statement)).data)


@extend_schema_view(
    list=extend_schema(responses={200: IssuedTaxCreditStatementSerializer(many=True), **ERRORS},
                       parameters=[OpenApiParameter("organization", OpenApiTypes.INT),
                                   OpenApiParameter("year", OpenApiTypes.INT)],
                       summary="Issued tax-credit statements you may see"),
    retrieve=extend_schema(responses={200: IssuedTaxCreditStatementSerializer, **ERRORS},
                           summary="An issued statement"),
)
class IssuedStatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Statements as issued, every version kept; only fund administrators issue."""

    serializer_class = IssuedTaxCreditStatementSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination

    def get_queryset(self):
        user = self.request.user
        statements = TaxCreditStatement.objects.select_related("organization")
        if not sees_all_organizations(user):
            statements = statements.filter(organization__in=organizations_visible_to(user))
        params = self.request.query_params
        for name in ("organization", "year"):
            value = params.get(name, "")
            if value.isdigit():
                statements = statements.filter(**{name: int(value)})
        return statements.order_by("organization_id", "year", "version")

    @extend_schema(request=TaxCreditIssueSerializer, responses={201: IssuedTaxCreditStatementSerializer, **ERRORS},
                   summary="Issue a statement (fund administrators)")
    def create(self, request: Request) -> Response:
        if not is_fund_admin(request.user):
            raise PermissionDenied("Only fund administrators may issue tax-credit statements.")
        body = TaxCreditIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statement = services.statement_issue(actor=request.user, **body.validated_data)
        return Response(IssuedTaxCreditStatementSerializer(statement).data, status=status.HTTP_201_CREATED)
