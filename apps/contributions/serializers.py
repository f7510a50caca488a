"""The shapes of the contributions API. Amounts are whole won as JSON integers (or strings of digits, never floats).
Serializers only check and shape data; contributions are written by `apps.contributions.services`, called from the
views."""

from __future__ import annotations

from rest_framework import serializers

from apps.funds.models import Fund
from apps.ledger.serializers import AmountField
from apps.organizations.models import Organization
from apps.organizations.selectors import organizations_visible_to

from .models import Contribution, ContributionEvent, ContributionStatus, DonationReceipt


class ContributionEventSerializer(serializers.ModelSerializer):
    # Plain strings: the statuses are the contribution's `status` choices, named once in the schema there.
    from_status = serializers.CharField(read_only=True, help_text="Empty for the submission itself.")
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = ContributionEvent
        fields = ["from_status", "to_status", "actor_label", "reason", "at"]


class ReceiptSummarySerializer(serializers.ModelSerializer):
    display_number = serializers.CharField(read_only=True, help_text="e.g. WWCF-2026-000001.")
    is_cancelled = serializers.BooleanField(read_only=True)

    class Meta:
        model = DonationReceipt
        fields = ["id", "display_number", "fiscal_year", "number", "issued_at", "is_cancelled"]


class ContributionSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name_ko", read_only=True)
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    designated_use = serializers.SlugRelatedField(slug_field="code", read_only=True)
    amount = AmountField(read_only=True)
    status = serializers.ChoiceField(choices=ContributionStatus.choices, read_only=True)
    receipt = serializers.SerializerMethodField()

    class Meta:
        model = Contribution
        fields = ["id", "organization", "organization_name", "fund", "amount", "contribution_date",
                  "designated_use", "beneficiaries", "program", "status", "reason", "created_at", "confirmed_at",
                  "receipt"]
        read_only_fields = fields

    def get_receipt(self, contribution: Contribution) -> dict | None:
        receipt = getattr(contribution, "receipt", None)
        return ReceiptSummarySerializer(receipt).data if receipt is not None else None


class ContributionDetailSerializer(ContributionSerializer):
    history = ContributionEventSerializer(source="events", many=True, read_only=True)

    class Meta(ContributionSerializer.Meta):
        fields = [*ContributionSerializer.Meta.fields, "history"]
        read_only_fields = fields


class ContributionCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), help_text="The contributing organisation (one you are a member of).")
    fund = serializers.SlugRelatedField(slug_field="code", queryset=Fund.objects.all(), help_text="e.g. wwcf.")
    amount = AmountField(help_text="Whole won, more than 0.")
    contribution_date = serializers.DateField()
    designated_use = serializers.SlugField(max_length=64, help_text="A designated-use code valid for the fund on "
                                                                     "that date, e.g. technology_cooperation.")
    beneficiaries = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Organization.objects.all(),
                                                       help_text="Beneficiary SMEs, if any.")
    program = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        # Only organisations the user may see: another company's id is refused like an unknown one.
        self.fields["organization"].queryset = organizations_visible_to(user)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2_000, help_text="Why; recorded in the contribution's history.")


class ReceiptSerializer(serializers.ModelSerializer):
    display_number = serializers.CharField(read_only=True, help_text="e.g. WWCF-2026-000001.")
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organization = serializers.IntegerField(source="contribution.organization_id", read_only=True)
    donor_brn_display = serializers.CharField(read_only=True)
    amount = AmountField(read_only=True)
    is_cancelled = serializers.BooleanField(read_only=True)

    class Meta:
        model = DonationReceipt
        fields = ["id", "display_number", "fund", "fiscal_year", "number", "contribution", "organization",
                  "donor_name", "donor_brn", "donor_brn_display", "amount", "issued_at", "is_cancelled",
                  "cancelled_at", "cancel_reason"]
        read_only_fields = fields
