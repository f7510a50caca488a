"""The shapes of the organisations API.

Registration numbers come in with or without hyphens and go out twice: as stored digits
(`business_registration_number`) and formatted for people (`brn_display`). Serializers only check and shape data;
organisations are written by `apps.organizations.services`, called from the views.
"""

from __future__ import annotations

from rest_framework import serializers

from .identifiers import (
    BRN_LENGTH,
    CRN_LENGTH,
    BrnKind,
    normalize,
    validate_brn,
    validate_crn,
)
from .models import Membership, MembershipRole, Organization, SizeClass

TYPED_ALLOWANCE = 10  # hyphens and spaces around the digits


class RegistrationNumberField(serializers.CharField):
    """Digits with or without hyphens and spaces in; digits out. The validators see the normalised digits."""

    def to_internal_value(self, data) -> str:
        return normalize(super().to_internal_value(data))


class OrganizationSerializer(serializers.ModelSerializer):
    business_registration_number = RegistrationNumberField(
        max_length=BRN_LENGTH + TYPED_ALLOWANCE, validators=[validate_brn],
        help_text="사업자등록번호: 10 digits, with or without hyphens (124-81-00998 or 1248100998). Stored as digits.",
    )
    corporate_registration_number = RegistrationNumberField(
        max_length=CRN_LENGTH + TYPED_ALLOWANCE, validators=[validate_crn], required=False, allow_null=True,
        allow_blank=True, help_text="법인등록번호: 13 digits, with or without a hyphen; null or empty if none.",
    )
    size_class = serializers.ChoiceField(choices=SizeClass.choices)
    brn_display = serializers.CharField(read_only=True, help_text="Formatted XXX-XX-XXXXX.")
    crn_display = serializers.CharField(read_only=True, help_text="Formatted XXXXXX-XXXXXXX, or empty.")
    brn_kind = serializers.ChoiceField(
        choices=BrnKind.choices, read_only=True, allow_null=True,
        help_text="What digits 4–5 of the business registration number say the business is.",
    )
    party = serializers.CharField(read_only=True, help_text="The organisation's id on ledger lines (org:<id>).")
    related_parties = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Organization.objects.all(),
        help_text="Affiliates (symmetrical): contributions used for them earn no tax credit.",
    )
    partner_smes = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Organization.objects.all(),
        help_text="The SMEs this company supports through win-win finance and performance sharing.",
    )

    class Meta:
        model = Organization
        fields = ["id", "name_ko", "name_en", "business_registration_number", "brn_display", "brn_kind",
                  "corporate_registration_number", "crn_display", "size_class", "related_parties", "partner_smes",
                  "is_active", "party", "created_at"]
        read_only_fields = ["created_at"]

    def validate_business_registration_number(self, value: str) -> str:
        self._refuse_duplicate("business_registration_number", value)
        return value

    def validate_corporate_registration_number(self, value: str | None) -> str | None:
        value = value or None
        if value:
            self._refuse_duplicate("corporate_registration_number", value)
        return value

    def _refuse_duplicate(self, name: str, value: str) -> None:
        others = Organization.objects.filter(**{name: value})
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(Organization._meta.get_field(name).error_messages["unique"],
                                              code="unique")


class OrganizationSummarySerializer(serializers.ModelSerializer):
    brn_display = serializers.CharField(read_only=True)
    party = serializers.CharField(read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "name_ko", "name_en", "business_registration_number", "brn_display", "size_class",
                  "is_active", "party"]


class MembershipSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    role = serializers.ChoiceField(choices=MembershipRole.choices, read_only=True)
    may_submit = serializers.BooleanField(read_only=True,
                                          help_text="A finance officer of an active organisation may submit.")

    class Meta:
        model = Membership
        fields = ["id", "organization", "role", "may_submit", "created_at"]


class MeSerializer(serializers.Serializer):
    """The requesting user, their system-wide roles and their memberships."""

    id = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.get_username")
    is_fund_admin = serializers.BooleanField()
    is_auditor = serializers.BooleanField()
    memberships = MembershipSerializer(many=True)

