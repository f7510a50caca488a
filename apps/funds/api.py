"""The funds' REST API (/api/v1/funds/): each fund with its progress, read from its ledger.

Fund totals are public information: any signed-in user may read them; nobody writes through the API (targets are
edited in the back office). A fund is addressed by its code (`/funds/wwcf/`) or its id.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api import Pagination
from apps.ledger.serializers import ErrorSerializer

from . import selectors
from .models import Fund
from .serializers import FundProgressSerializer, FundSerializer

ERRORS = {403: OpenApiResponse(ErrorSerializer, description="Not signed in.")}
READ_ERRORS = {**ERRORS, 404: OpenApiResponse(ErrorSerializer, description="No such fund.")}


@extend_schema_view(
    list=extend_schema(responses={200: FundSerializer(many=True), **ERRORS},
                       summary="The funds, with what each has raised against its target"),
    retrieve=extend_schema(responses={200: FundProgressSerializer, **READ_ERRORS},
                           summary="A fund's progress: raised by year, by contributor and by designated use"),
)
class FundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The four win-win growth funds."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    queryset = Fund.objects.select_related("ledger").order_by("pk")
    serializer_class = FundSerializer
    filter_backends: list = []
    lookup_url_kwarg = "code_or_id"
    lookup_value_regex = r"[-\w]+"

    def get_object(self) -> Fund:
        key = self.kwargs[self.lookup_url_kwarg]
        lookup = {"pk": int(key)} if key.isdigit() else {"code": key}
        return get_object_or_404(self.get_queryset(), **lookup)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = [selectors.fund_totals(fund) for fund in page]
        return self.get_paginated_response(FundSerializer(rows, many=True).data)

    def retrieve(self, request: Request, code_or_id: str | None = None) -> Response:
        return Response(FundProgressSerializer(selectors.fund_progress(self.get_object())).data)
