"""The statements' REST API (/api/v1/statements/), read-only, for fund administrators and auditors:
`statements/` lists the scopes (each fund and the consolidation), `statements/<scope>/` gives all four statements
and `statements/<scope>/<kind>/` one of them, for `?date_from=&date_to=` (the fiscal year by default) and
`?unit=won|thousand|million|eok`."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.permissions import FundAdminOrAuditorReadOnly
from apps.ledger.serializers import ErrorSerializer

from .selectors import KINDS, Scope, period_between, scope_get, scopes, statements_compute
from .serializers import FinancialStatementSerializer, StatementQuerySerializer, StatementScopeSerializer
from .units import unit_get

ERRORS = {403: OpenApiResponse(ErrorSerializer, description="Not a fund administrator or an auditor.")}
READ_ERRORS = {**ERRORS, 400: OpenApiResponse(ErrorSerializer, description="A bad period or unit."),
               404: OpenApiResponse(ErrorSerializer, description="No such fund or statement.")}


class StatementsView(APIView):
    permission_classes = [FundAdminOrAuditorReadOnly]

    def _scope(self, code: str) -> Scope:
        scope = scope_get(code)
        if scope is None:
            raise Http404("no such fund")
        return scope

    def _render(self, request: Request, scope: Scope, kinds) -> list[dict]:
        query = StatementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        period = period_between(data.get("date_from"), data.get("date_to"))
        statements = statements_compute(scope=scope, period=period, kinds=kinds)
        return FinancialStatementSerializer(statements, many=True, context={"unit": unit_get(data.get("unit"))}).data


class ScopeListView(APIView):
    permission_classes = [FundAdminOrAuditorReadOnly]

    @extend_schema(responses={200: StatementScopeSerializer(many=True), **ERRORS},
                   summary="The funds and the consolidation", operation_id="statements_scopes")
    def get(self, request: Request) -> Response:
        rows = [{"code": s.code, "name_ko": s.name_ko, "name_en": s.name_en, "statements": list(KINDS)}
                for s in scopes()]
        return Response(StatementScopeSerializer(rows, many=True).data)


class ScopeStatementsView(StatementsView):
    @extend_schema(parameters=[StatementQuerySerializer], responses={200: FinancialStatementSerializer(many=True),
                                                                     **READ_ERRORS},
                   summary="All four statements of a fund or of the consolidation, with comparatives",
                   operation_id="statements_all")
    def get(self, request: Request, scope: str) -> Response:
        return Response(self._render(request, self._scope(scope), KINDS))


class StatementView(StatementsView):
    @extend_schema(parameters=[StatementQuerySerializer], responses={200: FinancialStatementSerializer, **READ_ERRORS},
                   summary="One statement (position, operations, net-assets, cash-flow) with comparatives",
                   operation_id="statements_one")
    def get(self, request: Request, scope: str, kind: str) -> Response:
        if kind not in KINDS:
            raise Http404("no such statement")
        return Response(self._render(request, self._scope(scope), (kind,))[0])
