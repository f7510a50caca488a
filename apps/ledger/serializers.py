"""The shapes of the ledger API.

Amounts are integers of the currency's smallest unit: whole won for KRW (cents for USD). They go out as JSON
integers and come in as integers or strings of digits, never as floats or fractions. Serializers only check and
shape data: a posting is made by `apps.ledger.services`, called from the views.
"""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.money import from_minor

from .models import Account, AccountType, EntrySeal, JournalEntry, JournalLine, Ledger
from .posting import Line

BIGINT_MAX = 2**63 - 1  # the stored columns are 64-bit integers
MAX_LINES = 1_000
MAX_OFFSET = 10**12  # keeps offset + limit a machine integer (islice, SQL OFFSET)
DIGITS = re.compile(r"-?[0-9]+")


@extend_schema_field({
    "oneOf": [{"type": "integer", "format": "int64"}, {"type": "string", "pattern": "^[0-9]+$"}],
    "description": "Whole units of the currency's smallest unit (won for KRW): an integer or a string of digits.",
    "example": 1000,
})
class AmountField(serializers.Field):
    """An amount in the currency's smallest unit, as an integer or a string of digits. Floats are refused even
    when whole (`1000.0`): a float has already lost precision by the time it is parsed."""

    default_error_messages = {
        "invalid": "Give a whole number of the currency's smallest unit (won for KRW), as an integer or a string "
                   "of digits; fractions and floats are refused.",
        "out_of_range": "The amount is beyond what the ledger can store (9,223,372,036,854,775,807).",
    }

    def to_internal_value(self, data) -> int:
        if isinstance(data, str) and DIGITS.fullmatch(data.strip()):
            data = int(data.strip())
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        if abs(data) > BIGINT_MAX:
            self.fail("out_of_range")
        return data

    def to_representation(self, value) -> int:
        return int(value)


class MetadataField(serializers.DictField):
    """A JSON object of free-form facts. NUL characters are refused: PostgreSQL's jsonb cannot store them."""

    default_error_messages = {"null_characters_not_allowed": "Null characters are not allowed."}

    def to_internal_value(self, data) -> dict:
        value = super().to_internal_value(data)
        if _has_nul(value):
            self.fail("null_characters_not_allowed")
        return value


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class LineInSerializer(serializers.Serializer):
    account = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)
    debit = AmountField(required=False, allow_null=True, default=None)
    credit = AmountField(required=False, allow_null=True, default=None)
    currency = serializers.ChoiceField(
        choices=settings.CURRENCIES, required=False, help_text="Defaults to the account's currency."
    )
    party = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    metadata = MetadataField(required=False, default=dict)


class EntryCreateSerializer(serializers.Serializer):
    """A balanced entry to post. Checks the request's shape; the posting rules are the service's."""

    ledger = serializers.PrimaryKeyRelatedField(queryset=Ledger.objects.all())
    effective_date = serializers.DateField()
    memo = serializers.CharField(required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    metadata = MetadataField(required=False, default=dict)
    lines = LineInSerializer(many=True, max_length=MAX_LINES)

    def validate(self, attrs: dict) -> dict:
        """Turn the lines into the service's `Line`s, in the account's currency unless the line names one.

        An unknown account is left to the service, which refuses it naming the line."""
        ids = {line["account"] for line in attrs["lines"]}
        currencies = dict(Account.objects.filter(pk__in=ids).values_list("pk", "currency"))
        attrs["lines"] = [_line(line, currencies) for line in attrs["lines"]]
        return attrs


def _line(data: dict, currencies: dict[int, str]) -> Line:
    currency = data.get("currency") or currencies.get(data["account"], settings.DEFAULT_CURRENCY)

    def money(amount):
        return None if amount is None else from_minor(amount, currency)

    return Line(account=data["account"], debit=money(data["debit"]), credit=money(data["credit"]),
                party=data["party"], metadata=data["metadata"])


class ReverseSerializer(serializers.Serializer):
    memo = serializers.CharField(required=False, allow_blank=True, default="")
    effective_date = serializers.DateField(
        required=False, help_text="Defaults to the original's date while its year is open, else today."
    )


class LedgerSerializer(serializers.ModelSerializer):
    closed_years = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Ledger
        fields = ["id", "code", "name_ko", "name_en", "currency", "closed_years", "created_at"]


class AccountSerializer(serializers.ModelSerializer):
    balance = serializers.IntegerField(source="balance_minor", read_only=True,
                                       help_text="Current balance on the account's normal side.")
    available = serializers.IntegerField(source="available_minor", read_only=True,
                                         help_text="Balance less what open holds reserve against it.")

    class Meta:
        model = Account
        fields = ["id", "ledger", "code", "name_ko", "name_en", "type", "parent", "currency", "is_active",
                  "non_negative", "balance", "available"]


class AccountDetailSerializer(AccountSerializer):
    """An account with its position (`position`, set by the view): now, or as of a date."""

    as_of = serializers.DateField(source="position.as_of", read_only=True, allow_null=True)
    balance = serializers.IntegerField(source="position.balance", read_only=True,
                                       help_text="Balance on the account's normal side, now or as of `as_of`.")
    debit_total = serializers.IntegerField(source="position.debit_total", read_only=True)
    credit_total = serializers.IntegerField(source="position.credit_total", read_only=True)
    available = serializers.IntegerField(
        source="position.available", read_only=True, allow_null=True,
        help_text="Balance less reservations; reservations exist only now, so null with `as_of`.",
    )
    reserved_debit = serializers.IntegerField(source="position.reserved_debit", read_only=True, allow_null=True)
    reserved_credit = serializers.IntegerField(source="position.reserved_credit", read_only=True, allow_null=True)

    class Meta(AccountSerializer.Meta):
        fields = [*AccountSerializer.Meta.fields, "as_of", "debit_total", "credit_total", "reserved_debit",
                  "reserved_credit"]


class SealSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="display_number", read_only=True,
                                   help_text="Gapless number within the ledger and fiscal year, e.g. 2026-000042.")

    class Meta:
        model = EntrySeal
        fields = ["number", "fiscal_year", "chain_index", "hash", "previous_hash", "sealed_at"]


class EntryLineSerializer(serializers.ModelSerializer):
    account_code = serializers.CharField(source="account.code", read_only=True)
    debit = serializers.IntegerField(read_only=True)
    credit = serializers.IntegerField(read_only=True)

    class Meta:
        model = JournalLine
        fields = ["id", "account", "account_code", "debit", "credit", "currency", "party", "metadata"]


class EntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True)
    reversed_by = serializers.IntegerField(source="reversed_by.pk", read_only=True, allow_null=True,
                                           help_text="The entry that reverses this one, if any.")
    seal = SealSerializer(read_only=True, allow_null=True, help_text="Null until the sealer has numbered it.")
    metadata = serializers.DictField(read_only=True)

    class Meta:
        model = JournalEntry
        fields = ["id", "ledger", "effective_date", "posted_at", "memo", "reference", "actor", "posted_by",
                  "idempotency_key", "reverses", "reversed_by", "hold", "transfer_id", "metadata", "seal"]


class EntryDetailSerializer(EntrySerializer):
    lines = EntryLineSerializer(many=True, read_only=True)

    class Meta(EntrySerializer.Meta):
        fields = [*EntrySerializer.Meta.fields, "lines"]


class AsOfQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text="Balances as of the end of this day (YYYY-MM-DD).")


class PartyBalanceQuerySerializer(AsOfQuerySerializer):
    account = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX,
                                       help_text="Only this account of the ledger.")


class StatementQuerySerializer(serializers.Serializer):
    """`from` and `to` are Python keywords, hence `get_fields`."""

    def get_fields(self):
        return {
            "from": serializers.DateField(required=False, help_text="First effective date (inclusive)."),
            "to": serializers.DateField(required=False, help_text="Last effective date (inclusive)."),
            "limit": serializers.IntegerField(required=False, min_value=1, max_value=5_000, default=500),
            "offset": serializers.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, default=0),
        }

    def validate(self, attrs: dict) -> dict:
        if attrs.get("from") and attrs.get("to") and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": "`to` is before `from`."})
        if attrs.get("from") == date.min:
            attrs["from"] = None  # nothing precedes the first day there is, and the day before cannot be computed
        return attrs


class TrialBalanceRowSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account.pk")
    code = serializers.CharField(source="account.code")
    name_ko = serializers.CharField(source="account.name_ko")
    name_en = serializers.CharField(source="account.name_en")
    type = serializers.ChoiceField(source="account.type", choices=AccountType.choices)
    currency = serializers.CharField(source="account.currency")
    debit_balance = serializers.IntegerField()
    credit_balance = serializers.IntegerField()


class TrialBalanceSerializer(serializers.Serializer):
    ledger = serializers.IntegerField(source="ledger.pk")
    as_of = serializers.DateField(allow_null=True)
    rows = TrialBalanceRowSerializer(many=True)
    total_debit = serializers.IntegerField()
    total_credit = serializers.IntegerField()
    is_balanced = serializers.BooleanField()


class StatementLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="line.pk")
    entry = serializers.IntegerField(source="line.entry_id")
    effective_date = serializers.DateField(source="line.effective_date")
    memo = serializers.CharField(source="line.entry.memo")
    reference = serializers.CharField(source="line.entry.reference")
    party = serializers.CharField(source="line.party")
    debit = serializers.IntegerField(source="line.debit")
    credit = serializers.IntegerField(source="line.credit")
    balance = serializers.IntegerField(help_text="Normal-side balance after this line.")


class StatementSerializer(serializers.Serializer):
    """A page of an account's statement. `opening_balance` is the balance before `from`; each line carries the
    running balance, so pages can be read one after another (`next`)."""

    account = serializers.IntegerField(source="statement.account.pk")
    currency = serializers.CharField(source="statement.account.currency")
    opening_balance = serializers.IntegerField(source="statement.opening")
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    lines = StatementLineSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(source="statement.date_from", allow_null=True)
        fields["to"] = serializers.DateField(source="statement.date_to", allow_null=True)
        return fields


class PartyBalanceSerializer(serializers.Serializer):
    party = serializers.CharField()
    debit = serializers.IntegerField()
    credit = serializers.IntegerField()
    net = serializers.IntegerField(help_text="Debit minus credit.")


class PartyBalancesSerializer(serializers.Serializer):
    ledger = serializers.IntegerField()
    account = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)
    parties = PartyBalanceSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="e.g. unbalanced, invalid_account, idempotency_conflict, required.")
    detail = serializers.CharField()
    field = serializers.CharField(required=False, help_text="Path to the field at fault, e.g. lines[1].debit.")
    errors = serializers.JSONField(required=False, help_text="Every validation message, by field.")
