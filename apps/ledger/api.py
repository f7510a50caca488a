"""The ledger's REST API (/api/v1/): ledgers, accounts and journal entries.

Reads go through `selectors`; postings and reversals through `services` (`entry_post`, `entry_reverse`), which
own every rule. Posting requires an `Idempotency-Key` header: a retry with the same key and body answers with the
entry posted first (200, `Idempotent-Replayed: true`), the same key with another body is refused (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import islice

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apps.core.api import Pagination
from apps.core.money import to_minor
from apps.core.permissions import FundAdminOrAuditorReadOnly

from . import selectors, services
from .filters import AccountFilter, EntryFilter
from .models import Account, JournalEntry, JournalLine, Ledger
from .serializers import (
    AccountDetailSerializer,
    AccountSerializer,
    AsOfQuerySerializer,
    EntryCreateSerializer,
    EntryDetailSerializer,
    EntrySerializer,
    ErrorSerializer,
    LedgerSerializer,
    PartyBalanceQuerySerializer,
    PartyBalancesSerializer,
    ReverseSerializer,
    StatementQuerySerializer,
    StatementSerializer,
    TrialBalanceSerializer,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 160  # JournalEntry.idempotency_key holds 200, less the per-user prefix

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `field` names what to fix."),
    403: OpenApiResponse(ErrorSerializer, description="Not signed in, or not allowed."),
}
READ_ERRORS = {**ERRORS, 404: OpenApiResponse(ErrorSerializer, description="No such object.")}
WRITE_ERRORS = {
    **READ_ERRORS,
    409: OpenApiResponse(ErrorSerializer, description="Conflicts with the ledger's state: idempotency key used for "
                                                      "another entry, closed period, limit, already reversed."),
}

REPLAYED = OpenApiResponse(EntryDetailSerializer, description="A replay of an earlier request with the same key: the "
                                                              "entry it posted (header `Idempotent-Replayed: true`).")


def idempotency_parameter(*, required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        IDEMPOTENCY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=required,
        description="A key unique to this posting (at most 160 characters). Repeating the request with the same "
                    "key and body returns the entry posted first instead of posting again.",
    )


def idempotency_key(request: Request, *, required: bool) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not key:
        if required:
            raise ValidationError({IDEMPOTENCY_HEADER: ["This header is required: a key unique to this posting."]},
                                  code="required")
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationError({IDEMPOTENCY_HEADER: [f"Use at most {IDEMPOTENCY_KEY_MAX} characters."]},
                              code="max_length")
    if not key.isprintable():
        raise ValidationError({IDEMPOTENCY_HEADER: ["Use printable characters only."]}, code="invalid")
    # Each API user has a key space of their own: a client's key never collides with another client's, nor with
    # the keys the domain apps give their own postings.
    return f"api:{request.user.pk}:{key}"


def query(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@dataclass(frozen=True)
class Position:
    """An account's balance now (with its reservations), or as of the end of a day."""

    as_of: date | None
    balance: int
    debit_total: int
    credit_total: int
    available: int | None = None
    reserved_debit: int | None = None
    reserved_credit: int | None = None

    @classmethod
    def of(cls, account: Account, as_of: date | None) -> Position:
        balance = to_minor(selectors.account_balance(account, as_of))
        if as_of is None:
            return cls(None, balance, account.debit_total, account.credit_total, account.available_minor,
                       account.pending_debit, account.pending_credit)
        debits, credits = selectors.balances_as_of(account.ledger_id, as_of, accounts=[account]).get(
            account.pk, (0, 0)
        )
        return cls(as_of, balance, debits, credits)


class LedgerAPIViewSet(viewsets.GenericViewSet):
    permission_classes = [FundAdminOrAuditorReadOnly]
    pagination_class = Pagination


@extend_schema_view(list=extend_schema(responses={200: LedgerSerializer(many=True), **ERRORS}),
                    retrieve=extend_schema(responses={200: LedgerSerializer, **READ_ERRORS}))
class LedgerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LedgerAPIViewSet):
    """The books: one self-balancing ledger per fund."""

    queryset = Ledger.objects.all()
    serializer_class = LedgerSerializer

    @extend_schema(parameters=[AsOfQuerySerializer], responses={200: TrialBalanceSerializer, **READ_ERRORS},
                   summary="Trial balance, now or as of a date")
    @action(detail=True, url_path="trial-balance", filter_backends=[])
    def trial_balance(self, request: Request, pk=None) -> Response:
        as_of = query(AsOfQuerySerializer, request).get("as_of")
        return Response(TrialBalanceSerializer(selectors.trial_balance(self.get_object(), as_of)).data)

    @extend_schema(parameters=[PartyBalanceQuerySerializer], responses={200: PartyBalancesSerializer, **READ_ERRORS},
                   summary="Debit, credit and net per party")
    @action(detail=True, url_path="party-balances", filter_backends=[])
    def party_balances(self, request: Request, pk=None) -> Response:
        ledger = self.get_object()
        params = query(PartyBalanceQuerySerializer, request)
        account = None
        if "account" in params:
            account = Account.objects.filter(ledger=ledger, pk=params["account"]).first()
            if account is None:
                raise ValidationError({"account": ["No such account in this ledger."]}, code="does_not_exist")
        rows = selectors.party_balances(ledger, account=account, as_of=params.get("as_of"))
        body = {"ledger": ledger.pk, "account": account.pk if account else None, "as_of": params.get("as_of"),
                "parties": rows}
        return Response(PartyBalancesSerializer(body).data)


@extend_schema_view(
    list=extend_schema(responses={200: AccountSerializer(many=True), **ERRORS}),
    retrieve=extend_schema(parameters=[AsOfQuerySerializer], responses={200: AccountDetailSerializer, **READ_ERRORS},
                           summary="An account and its balance, now or as of a date"),
)
class AccountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LedgerAPIViewSet):
    """Accounts of the ledgers, with their balances on their normal side."""

    queryset = Account.objects.all()
    serializer_class = AccountSerializer
    filterset_class = AccountFilter

    def retrieve(self, request: Request, pk=None) -> Response:
        as_of = query(AsOfQuerySerializer, request).get("as_of")
        account = self.get_object()
        account.position = Position.of(account, as_of)
        return Response(AccountDetailSerializer(account).data)

    @extend_schema(parameters=[StatementQuerySerializer], responses={200: StatementSerializer, **READ_ERRORS},
                   summary="Account statement with running balances")
    @action(detail=True, filter_backends=[])
    def statement(self, request: Request, pk=None) -> Response:
        params = query(StatementQuerySerializer, request)
        statement = selectors.account_statement(self.get_object(), params.get("from"), params.get("to"))
        limit, offset = params["limit"], params["offset"]
        # The running balance is carried line by line from the opening balance, so a page reads what precedes it.
        try:
            lines = list(islice(statement.lines, offset, offset + limit + 1))
        finally:
            statement.lines.close()  # release the database cursor now, not whenever the generator is collected
        more = len(lines) > limit
        url = request.build_absolute_uri()
        body = {
            "statement": statement, "lines": lines[:limit], "limit": limit, "offset": offset,
            "next": replace_query_param(url, "offset", offset + limit) if more else None,
        }
        return Response(StatementSerializer(body).data)


@extend_schema_view(
    list=extend_schema(responses={200: EntrySerializer(many=True), **ERRORS}),
    retrieve=extend_schema(responses={200: EntryDetailSerializer, **READ_ERRORS}),
)
class EntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LedgerAPIViewSet):
    """Journal entries: posted once, never changed; corrected by reversal."""

    queryset = JournalEntry.objects.select_related("seal", "reversed_by")
    serializer_class = EntrySerializer
    filterset_class = EntryFilter

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset
        return queryset.prefetch_related(Prefetch("lines", queryset=JournalLine.objects.select_related("account")))

    def get_serializer_class(self):
        return EntrySerializer if self.action == "list" else EntryDetailSerializer

    @extend_schema(
        request=EntryCreateSerializer, parameters=[idempotency_parameter(required=True)],
        responses={201: EntryDetailSerializer, 200: REPLAYED, **WRITE_ERRORS},
        summary="Post a balanced entry",
    )
    def create(self, request: Request) -> Response:
        key = idempotency_key(request, required=True)
        serializer = EntryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        replay = JournalEntry.objects.filter(idempotency_key=key).exists()
        entry = services.entry_post(actor=request.user, idempotency_key=key, **serializer.validated_data)
        return self.entry_response(entry, replay=replay)

    @extend_schema(
        request=ReverseSerializer, parameters=[idempotency_parameter(required=False)],
        responses={201: EntryDetailSerializer, 200: REPLAYED, **WRITE_ERRORS},
        summary="Reverse an entry (post its mirror)",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reverse(self, request: Request, pk=None) -> Response:
        key = idempotency_key(request, required=False)
        entry = self.get_object()
        serializer = ReverseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        replay = bool(key) and JournalEntry.objects.filter(idempotency_key=key).exists()
        reversal = services.entry_reverse(actor=request.user, entry=entry, idempotency_key=key,
                                          **serializer.validated_data)
        return self.entry_response(reversal, replay=replay)

    def entry_response(self, entry: JournalEntry, *, replay: bool) -> Response:
        entry = self.get_queryset().get(pk=entry.pk)
        headers = {"Idempotent-Replayed": "true"} if replay else {}
        code = status.HTTP_200_OK if replay else status.HTTP_201_CREATED
        return Response(EntryDetailSerializer(entry).data, status=code, headers=headers)
