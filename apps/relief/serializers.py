"""The shapes of the relief API. Amounts are whole won as JSON integers (or strings of digits, never floats).
Serializers only check and shape data; everything is written by `apps.relief.services`, called from the views."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.ledger.serializers import AmountField
from apps.organizations.models import Organization
from apps.organizations.selectors import organizations_submittable_by

from .models import (
    Claim,
    ClaimDocument,
    ClaimEvent,
    ClaimStatus,
    FinePayment,
    PaymentStatus,
    Sanction,
    ViolationType,
)


def _status_field(choices) -> serializers.ChoiceField:
    """The claim's status, described by a pattern rather than an enum component: `status` is a field name other
    rooms use with other choices, and enum components of one name would collide in the schema."""
    values = [value for value, _label in choices]

    @extend_schema_field({"type": "string", "pattern": f"^({'|'.join(values)})$",
                          "description": "One of: " + ", ".join(values) + "."})
    class StatusField(serializers.ChoiceField):
        pass

    return StatusField(choices=choices, read_only=True)


class SanctionSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name_ko", read_only=True)
    violation_type = serializers.ChoiceField(choices=ViolationType.choices, read_only=True)
    fine_amount = AmountField(read_only=True)
    paid = AmountField(read_only=True, help_text="Collected so far.")
    outstanding = AmountField(read_only=True, help_text="Still owed; 0 once paid or waived.")
    payment_status = serializers.ChoiceField(choices=PaymentStatus.choices, read_only=True)

    class Meta:
        model = Sanction
        fields = ["id", "organization", "organization_name", "case_reference", "violation_type",
                  "corrective_order", "penalty_points", "decision_date", "fine_amount", "paid", "outstanding",
                  "payment_status", "waived_at", "waiver_reason", "created_at"]
        read_only_fields = fields


class SanctionCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(),
                                                      help_text="The sanctioned company.")
    case_reference = serializers.CharField(max_length=64)
    violation_type = serializers.ChoiceField(choices=ViolationType.choices)
    corrective_order = serializers.CharField(max_length=10_000)
    penalty_points = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    decision_date = serializers.DateField()
    fine_amount = AmountField(default=0, help_text="Whole won, 0 to 5,000,000,000 (the legal maximum).")


class ReliefReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2_000, help_text="Why; recorded with the change.")


class FinePaymentSerializer(serializers.ModelSerializer):
    amount = AmountField(read_only=True)
    organization = serializers.IntegerField(source="sanction.organization_id", read_only=True)

    class Meta:
        model = FinePayment
        fields = ["id", "sanction", "organization", "amount", "paid_on", "entry", "recorded_by_label",
                  "recorded_at"]
        read_only_fields = fields


class FinePaymentCreateSerializer(serializers.Serializer):
    sanction = serializers.PrimaryKeyRelatedField(queryset=Sanction.objects.all())
    amount = AmountField(help_text="Whole won, more than 0 and no more than is outstanding.")
    paid_on = serializers.DateField()


class ClaimDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ClaimDocument
        fields = ["id", "original_name", "kind", "size", "uploaded_by_label", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, document: ClaimDocument) -> str:
        return reverse("relief-document-download", args=[document.pk])


class ClaimEventSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(read_only=True, help_text="Empty for the filing itself.")
    to_status = serializers.CharField(read_only=True)
    amount = AmountField(read_only=True, allow_null=True)

    class Meta:
        model = ClaimEvent
        fields = ["from_status", "to_status", "amount", "message", "actor_label", "at"]


class ClaimSerializer(serializers.ModelSerializer):
    claimant_name = serializers.CharField(source="claimant.name_ko", read_only=True)
    amount_claimed = AmountField(read_only=True)
    approved_amount = AmountField(read_only=True, allow_null=True)
    status = _status_field(ClaimStatus.choices)

    class Meta:
        model = Claim
        fields = ["id", "claimant", "claimant_name", "case_reference", "sanction", "description",
                  "amount_claimed", "approved_amount", "status", "paid_on", "created_at"]
        read_only_fields = fields


class ClaimDetailSerializer(ClaimSerializer):
    documents = ClaimDocumentSerializer(many=True, read_only=True)
    history = ClaimEventSerializer(source="events", many=True, read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "documents", "history"]
        read_only_fields = fields


class ClaimUploadSerializer(serializers.Serializer):
    documents = serializers.ListField(
        child=serializers.FileField(), allow_empty=True, required=False, default=list,
        help_text="Files (PDF, PNG, JPG, DOCX, HWP, HWPX; at most 10 MB each), checked by extension and content.")


class ClaimCreateSerializer(ClaimUploadSerializer):
    claimant = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(),
                                                  help_text="The harmed company (one you are a finance officer of).")
    case_reference = serializers.CharField(max_length=64, help_text="The sanction's case number, or the "
                                                                    "reference of the case.")
    description = serializers.CharField(max_length=10_000)
    amount_claimed = AmountField(help_text="Whole won, more than 0.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.fields["claimant"].queryset = organizations_submittable_by(user)


class ClaimAnswerSerializer(ClaimUploadSerializer):
    message = serializers.CharField(max_length=10_000)


class ClaimInfoRequestSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=2_000, help_text="What information is needed.")


class ClaimApproveSerializer(serializers.Serializer):
    amount = AmountField(help_text="Whole won, more than 0 and no more than claimed; reserved from the fund's "
                                   "available cash until paid.")
    message = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="")


class ClaimPaySerializer(serializers.Serializer):
    paid_on = serializers.DateField(required=False, help_text="Defaults to today.")


class ReliefFundSerializer(serializers.Serializer):
    cash = AmountField(read_only=True, help_text="The relief fund's cash.")
    reserved = AmountField(read_only=True, help_text="Reserved by approved, unpaid claims.")
    available = AmountField(read_only=True, help_text="What new approvals may take.")
    fines_imposed = AmountField(read_only=True)
    fines_collected = AmountField(read_only=True)
    fines_waived = AmountField(read_only=True)
    fines_outstanding = AmountField(read_only=True)
    claims_approved = AmountField(read_only=True)
    claims_paid = AmountField(read_only=True)
    claims_in_review = AmountField(read_only=True)
