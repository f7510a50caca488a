"""Query filters of the ledger API. A value that cannot be read (a bad date, an unknown id) answers 400."""

from django.db.models import Exists, OuterRef, QuerySet
from django_filters import rest_framework as filters

from .models import Account, JournalEntry, JournalLine


class AccountFilter(filters.FilterSet):
    class Meta:
        model = Account
        fields = ["ledger", "type", "code", "is_active"]


class EntryFilter(filters.FilterSet):
    effective_date_from = filters.DateFilter(field_name="effective_date", lookup_expr="gte",
                                             label="Effective on or after (YYYY-MM-DD)")
    effective_date_to = filters.DateFilter(field_name="effective_date", lookup_expr="lte",
                                           label="Effective on or before (YYYY-MM-DD)")
    account = filters.ModelChoiceFilter(queryset=Account.objects.all(), method="filter_account",
                                        label="Entries with a line on this account")
    party = filters.CharFilter(method="filter_party", max_length=64, label="Entries with a line for this party")

    class Meta:
        model = JournalEntry
        fields = ["ledger", "reference"]

    def filter_account(self, queryset: QuerySet, name: str, value: Account) -> QuerySet:
        return queryset.filter(Exists(JournalLine.objects.filter(entry=OuterRef("pk"), account=value)))

    def filter_party(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Exists(JournalLine.objects.filter(entry=OuterRef("pk"), party=value)))
