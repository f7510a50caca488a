"""The shapes of the funds API: read-only. Amounts are whole won as JSON integers; the share of the target is a
decimal string (never a float)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .selectors import SHARE_PLACES


class YearRaisedSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    raised = serializers.IntegerField(help_text="Whole won, net of reversals.")


class ContributorRaisedSerializer(serializers.Serializer):
    party = serializers.CharField(help_text="The contributor, as the ledger lines name it (e.g. 'org:12').")
    raised = serializers.IntegerField()


class UseRaisedSerializer(serializers.Serializer):
    designated_use = serializers.CharField(help_text="The designated use code; empty when none was given.")
    raised = serializers.IntegerField()


class FundSerializer(serializers.Serializer):
    """A fund with its totals (`FundTotals` or `FundProgress`, whose `fund` is the fund)."""

    id = serializers.IntegerField(source="fund.pk")
    code = serializers.CharField(source="fund.code")
    name_ko = serializers.CharField(source="fund.name_ko")
    name_en = serializers.CharField(source="fund.name_en")
    ledger = serializers.IntegerField(source="fund.ledger_id")
    managing_institution_ko = serializers.CharField(source="fund.managing_institution_ko")
    managing_institution_en = serializers.CharField(source="fund.managing_institution_en")
    description = serializers.CharField(source="fund.description")
    is_active = serializers.BooleanField(source="fund.is_active")
    target = serializers.IntegerField(allow_null=True, help_text="Fundraising target in whole won, or null.")
    target_start_year = serializers.IntegerField(source="fund.target_start_year", allow_null=True)
    target_end_year = serializers.IntegerField(source="fund.target_end_year", allow_null=True)
    raised = serializers.IntegerField(help_text="Contributions received so far, whole won, net of reversals.")
    share_of_target = serializers.DecimalField(
        max_digits=None, decimal_places=SHARE_PLACES, coerce_to_string=True, allow_null=True,
        help_text="raised ÷ target as a decimal string (\"0.200000\" is a fifth), rounded down; null without a "
                  "target.",
    )
    cash = serializers.IntegerField(help_text="Balance of the fund's cash account, whole won.")


class FundProgressSerializer(FundSerializer):
    by_year = serializers.SerializerMethodField()
    by_contributor = serializers.SerializerMethodField()
    by_designated_use = serializers.SerializerMethodField()

    @extend_schema_field(YearRaisedSerializer(many=True))
    def get_by_year(self, progress) -> list[dict]:
        rows = [{"year": year, "raised": won} for year, won in sorted(progress.by_year.items())]
        return YearRaisedSerializer(rows, many=True).data

    @extend_schema_field(ContributorRaisedSerializer(many=True))
    def get_by_contributor(self, progress) -> list[dict]:
        rows = [{"party": party, "raised": won} for party, won in progress.by_contributor.items()]
        return ContributorRaisedSerializer(rows, many=True).data

    @extend_schema_field(UseRaisedSerializer(many=True))
    def get_by_designated_use(self, progress) -> list[dict]:
        rows = [{"designated_use": use, "raised": won} for use, won in progress.by_designated_use.items()]
        return UseRaisedSerializer(rows, many=True).data
