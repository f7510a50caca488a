"""The shapes of the tax-credits API. Amounts are whole won as JSON integers; rates are decimal strings."""

from __future__ import annotations

from rest_framework import serializers

from apps.organizations.models import Organization

from .models import TaxCreditStatement


class TaxCreditLineSerializer(serializers.Serializer):
    contribution = serializers.IntegerField()
    date = serializers.DateField()
    fund = serializers.CharField(help_text="Fund code, e.g. wwcf.")
    amount = serializers.IntegerField(help_text="Won contributed.")
    excluded = serializers.IntegerField(help_text="Won used for the contributor's related parties: no credit.")
    base = serializers.IntegerField(help_text="Won the credit is computed on.")
    rate = serializers.DecimalField(max_digits=7, decimal_places=6, allow_null=True)
    credit = serializers.IntegerField(help_text="floor(base × rate), whole won.")
    rule = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True, help_text="Why there is no credit, if there is none.")


class TaxCreditStatementSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    year = serializers.IntegerField()
    kind = serializers.CharField()
    lines = TaxCreditLineSerializer(many=True)
    total_amount = serializers.IntegerField()
    total_excluded = serializers.IntegerField()
    total_base = serializers.IntegerField()
    total_credit = serializers.IntegerField()


class TaxCreditStatementQuerySerializer(serializers.Serializer):
    organization = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class IssuedTaxCreditStatementSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name_ko", read_only=True)
    lines = TaxCreditLineSerializer(many=True, read_only=True)

    class Meta:
        model = TaxCreditStatement
        fields = ["id", "organization", "organization_name", "kind", "year", "version", "lines", "total_amount",
                  "total_excluded", "total_base", "total_credit", "issued_at", "issued_by_label"]
        read_only_fields = fields


class TaxCreditIssueSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
