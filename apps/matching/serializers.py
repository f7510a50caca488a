"""The shapes of the matching API. Amounts are whole won as JSON integers; ratios and shares are decimal strings."""

from __future__ import annotations

from rest_framework import serializers

from .models import Match, MatchingBudget, MatchingRule


class MatchingRuleSerializer(serializers.ModelSerializer):
    fund_code = serializers.CharField(source="fund.code", read_only=True)

    class Meta:
        model = MatchingRule
        fields = ["id", "fund", "fund_code", "program", "ratio", "max_share", "recipient_cap", "cash_only",
                  "valid_from", "valid_to", "description"]
        read_only_fields = fields


class MatchingBudgetSerializer(serializers.ModelSerializer):
    fund_code = serializers.CharField(source="fund.code", read_only=True)
    remaining = serializers.IntegerField(read_only=True, help_text="amount − matched_total, whole won.")

    class Meta:
        model = MatchingBudget
        fields = ["id", "fund", "fund_code", "program", "year", "amount", "matched_total", "remaining"]
        read_only_fields = fields


class MatchSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="contribution.organization_id", read_only=True)
    fund_code = serializers.CharField(source="contribution.fund.code", read_only=True)
    contribution_amount = serializers.IntegerField(source="contribution.amount", read_only=True)

    class Meta:
        model = Match
        fields = ["id", "contribution", "organization", "fund_code", "contribution_amount", "rule", "budget",
                  "requested", "matched", "reason", "entry", "actor_label", "created_at"]
        read_only_fields = fields
