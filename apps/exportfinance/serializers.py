"""The shapes of the export-finance API. Amounts are whole won as JSON integers (or strings of digits, never
floats); rates and shares are decimal strings. Serializers only check and shape data; every write is a service."""

from __future__ import annotations

from rest_framework import serializers

from apps.ledger.serializers import AmountField
from apps.organizations.models import Organization

from .models import (
    Disbursement,
    ExportProject,
    FinancingType,
    Period,
    ProfitReport,
    ProfitShare,
    ProjectStatus,
    RecyclingRule,
    Repayment,
    ShareStatus,
)
from .selectors import projects_visible_to


class ExportProjectSerializer(serializers.ModelSerializer):
    beneficiary_name = serializers.CharField(source="beneficiary.name_ko", read_only=True)
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    financing_type = serializers.ChoiceField(choices=FinancingType.choices, read_only=True)
    # Plain strings: a second `status` enum would collide in the schema with the contributions' one.
    status = serializers.CharField(read_only=True, help_text=", ".join(ProjectStatus.values))
    committed = AmountField(read_only=True)
    disbursed_total = AmountField(read_only=True)
    repaid_total = AmountField(read_only=True)
    outstanding = AmountField(read_only=True, help_text="disbursed − repaid, whole won.")
    undisbursed = AmountField(read_only=True, help_text="committed − disbursed, whole won.")

    class Meta:
        model = ExportProject
        fields = ["id", "fund", "beneficiary", "beneficiary_name", "name", "financing_type", "committed",
                  "term_months", "start_date", "status", "disbursed_total", "repaid_total", "outstanding",
                  "undisbursed", "created_at"]
        read_only_fields = fields


class ExportProjectCreateSerializer(serializers.Serializer):
    beneficiary = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    name = serializers.CharField(max_length=200)
    financing_type = serializers.ChoiceField(choices=FinancingType.choices)
    committed = AmountField(help_text="Whole won, more than 0.")
    term_months = serializers.IntegerField(min_value=1, max_value=600)
    start_date = serializers.DateField()


class ExportMovementCreateSerializer(serializers.Serializer):
    amount = AmountField(help_text="Whole won, more than 0.")
    effective_date = serializers.DateField()
    memo = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class _MovementSerializer(serializers.ModelSerializer):
    amount = AmountField(read_only=True)

    class Meta:
        fields = ["id", "project", "amount", "effective_date", "memo", "entry", "actor_label", "created_at"]
        read_only_fields = fields


class ExportDisbursementSerializer(_MovementSerializer):
    class Meta(_MovementSerializer.Meta):
        model = Disbursement


class ExportRepaymentSerializer(_MovementSerializer):
    class Meta(_MovementSerializer.Meta):
        model = Repayment


class ProfitReportSerializer(serializers.ModelSerializer):
    period = serializers.ChoiceField(choices=Period.choices, read_only=True)
    operating_profit = AmountField(read_only=True)
    net_profit = AmountField(read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = ProfitReport
        fields = ["id", "project", "year", "period", "operating_profit", "net_profit", "supersedes", "reason",
                  "is_current", "actor_label", "created_at"]
        read_only_fields = fields


class ProfitReportCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=ExportProject.objects.none(),
                                                 help_text="A project of your company.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    period = serializers.ChoiceField(choices=Period.choices)
    operating_profit = AmountField(help_text="Operating profit attributable to the project, whole won; negative "
                                             "for a loss.")
    net_profit = AmountField(help_text="Net profit attributable to the project, whole won; negative for a loss.")
    reason = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="",
                                   help_text="Required to correct a period already reported.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        # Only projects the user may see: another company's id is refused like an unknown one.
        self.fields["project"].queryset = projects_visible_to(getattr(request, "user", None))


class ProfitShareSerializer(serializers.ModelSerializer):
    period = serializers.ChoiceField(choices=Period.choices, read_only=True)
    status = serializers.CharField(read_only=True, help_text=", ".join(ShareStatus.values))
    base_amount = AmountField(read_only=True)
    amount_due = AmountField(read_only=True)
    received = AmountField(read_only=True)
    channelled = AmountField(read_only=True)
    retained = AmountField(read_only=True)

    class Meta:
        model = ProfitShare
        fields = ["id", "project", "year", "period", "report", "rule", "base_amount", "rate", "amount_due",
                  "due_date", "status", "received", "received_on", "channelled", "retained", "destination_fund",
                  "receipt_entry", "channel_source_entry", "channel_target_entry", "settled_on",
                  "settle_source_entry", "settle_target_entry", "assessed_at"]
        read_only_fields = fields


class ProfitShareReceiptSerializer(serializers.Serializer):
    effective_date = serializers.DateField(required=False, help_text="The day the money arrived; today if left out.")


class RecyclingRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RecyclingRule
        fields = ["id", "rate", "base", "due_days", "channel_share", "destination_fund", "valid_from", "valid_to",
                  "description"]
        read_only_fields = fields
