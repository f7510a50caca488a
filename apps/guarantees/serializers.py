"""The shapes of the win-win finance pool's API. Amounts are whole won as JSON integers (or strings of digits,
never floats). Serializers only check and shape data; the services write."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.contributions.models import Contribution
from apps.contributions.selectors import contributions_visible_to
from apps.ledger.serializers import AmountField
from apps.organizations.models import Organization

from . import selectors
from .models import (
    Earmark,
    Guarantee,
    GuaranteeEvent,
    GuaranteeInstitution,
    GuaranteeProgram,
    GuaranteeStatus,
    GuaranteeTransfer,
    LeverageRule,
)


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = GuaranteeInstitution
        fields = ["id", "code", "name_ko", "name_en", "organization", "is_active"]
        read_only_fields = fields


class LeverageRuleSerializer(serializers.ModelSerializer):
    multiple = serializers.DecimalField(max_digits=9, decimal_places=4, read_only=True,
                                        help_text="Won of guarantee per transferred won, e.g. 12.5000.")

    class Meta:
        model = LeverageRule
        fields = ["multiple", "valid_from", "valid_to"]
        read_only_fields = fields


class CapacitySerializer(serializers.Serializer):
    day = serializers.DateField(read_only=True)
    multiple = serializers.DecimalField(max_digits=9, decimal_places=4, read_only=True, allow_null=True,
                                        help_text="The multiple in force that day; null when none is.")
    transferred = AmountField(read_only=True)
    capacity = AmountField(read_only=True, help_text="transferred × multiple, rounded down.")
    outstanding = AmountField(read_only=True, help_text="Active guarantees.")
    remaining = AmountField(read_only=True)


class ProgramSerializer(serializers.ModelSerializer):
    institution = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organization_name = serializers.CharField(source="organization.name_ko", read_only=True)
    leverage_rules = LeverageRuleSerializer(many=True, read_only=True)
    capacity = serializers.SerializerMethodField()

    class Meta:
        model = GuaranteeProgram
        fields = ["id", "institution", "organization", "organization_name", "name", "description", "is_active",
                  "leverage_rules", "capacity"]
        read_only_fields = fields

    @extend_schema_field(CapacitySerializer)
    def get_capacity(self, program: GuaranteeProgram) -> dict:
        return CapacitySerializer(selectors.program_capacity(program)).data


class EarmarkSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="contribution.organization_id", read_only=True)
    amount = AmountField(source="contribution.amount", read_only=True)
    contribution_status = serializers.CharField(source="contribution.status", read_only=True)
    institution = serializers.CharField(source="program.institution.code", read_only=True)

    class Meta:
        model = Earmark
        fields = ["id", "contribution", "organization", "amount", "contribution_status", "program", "institution",
                  "note", "created_by_label", "created_at"]
        read_only_fields = fields


class EarmarkCreateSerializer(serializers.Serializer):
    contribution = serializers.PrimaryKeyRelatedField(queryset=Contribution.objects.none(),
                                                      help_text="A wwfp contribution of your organisation.")
    program = serializers.PrimaryKeyRelatedField(queryset=GuaranteeProgram.objects.none(),
                                                 help_text="One of your organisation's guarantee programs.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.context.get("request"), "user", None)
        # Only records the user may see: another company's id is refused like an unknown one.
        self.fields["contribution"].queryset = contributions_visible_to(user)
        self.fields["program"].queryset = selectors.programs_visible_to(user)


class TransferSerializer(serializers.ModelSerializer):
    amount = AmountField(read_only=True)
    organization = serializers.IntegerField(source="program.organization_id", read_only=True)
    institution = serializers.CharField(source="program.institution.code", read_only=True)

    class Meta:
        model = GuaranteeTransfer
        fields = ["id", "program", "organization", "institution", "amount", "transfer_date", "memo", "entry",
                  "created_by_label", "created_at"]
        read_only_fields = fields


class TransferCreateSerializer(serializers.Serializer):
    program = serializers.PrimaryKeyRelatedField(queryset=GuaranteeProgram.objects.all())
    amount = AmountField(help_text="Whole won, more than 0.")
    transfer_date = serializers.DateField()
    memo = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class GuaranteeEventSerializer(serializers.ModelSerializer):
    from_status = serializers.CharField(read_only=True, help_text="Empty for the issue itself.")
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = GuaranteeEvent
        fields = ["from_status", "to_status", "actor_label", "reason", "at"]
        read_only_fields = fields


class GuaranteeSerializer(serializers.ModelSerializer):
    amount = AmountField(read_only=True)
    status = serializers.ChoiceField(choices=GuaranteeStatus.choices, read_only=True)
    institution = serializers.CharField(source="program.institution.code", read_only=True)
    organization = serializers.IntegerField(source="program.organization_id", read_only=True,
                                            help_text="The contributor whose program it is.")
    sme_name = serializers.CharField(source="sme.name_ko", read_only=True)
    history = GuaranteeEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = Guarantee
        fields = ["id", "program", "institution", "organization", "sme", "sme_name", "amount", "term_months",
                  "issue_date", "maturity_date", "status", "created_by_label", "created_at", "history"]
        read_only_fields = fields


class GuaranteeCreateSerializer(serializers.Serializer):
    program = serializers.PrimaryKeyRelatedField(queryset=GuaranteeProgram.objects.all())
    sme = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(),
                                             help_text="A partner SME of the program's contributor.")
    amount = AmountField(help_text="Whole won, more than 0.")
    term_months = serializers.IntegerField(min_value=1, max_value=600)
    issue_date = serializers.DateField()


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[GuaranteeStatus.REPAID, GuaranteeStatus.CALLED,
                                              GuaranteeStatus.CANCELLED])
    reason = serializers.CharField(max_length=2_000, required=False, allow_blank=True, default="")


class UtilisationRowSerializer(serializers.Serializer):
    key = serializers.IntegerField(read_only=True, help_text="Organisation id or institution id.")
    name = serializers.CharField(read_only=True)
    contributed = AmountField(read_only=True, help_text="Received wwfp contributions.")
    earmarked = AmountField(read_only=True, help_text="Received contributions earmarked for guarantees.")
    transferred = AmountField(read_only=True)
    outstanding = AmountField(read_only=True, help_text="Active guarantees.")
    capacity = AmountField(read_only=True, help_text="transferred × the multiple in force.")
    leverage_used = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True,
                                             help_text="outstanding ÷ transferred (×).")
    capacity_used_percent = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True,
                                                     allow_null=True)


class UtilisationSerializer(serializers.Serializer):
    target = AmountField(read_only=True, allow_null=True, help_text="The wwfp fund's target (₩1.7 trillion).")
    raised = AmountField(read_only=True, help_text="Received contributions to the whole pool.")
    percent_of_target = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True, allow_null=True)
    total = UtilisationRowSerializer(read_only=True)
    by_contributor = UtilisationRowSerializer(many=True, read_only=True)
    by_institution = UtilisationRowSerializer(many=True, read_only=True)
