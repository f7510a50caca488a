"""The statements as JSON: every figure in exact whole won, and in the unit asked for (rounded per figure)."""

from rest_framework import serializers

from .selectors import CONSOLIDATED, KINDS, period_between
from .units import UNITS


class StatementQuerySerializer(serializers.Serializer):
    """Query parameters: the period (the fiscal year when left out) and the unit of the `*_in_unit` figures."""

    date_from = serializers.DateField(required=False, help_text="First day of the period (default: 1 January).")
    date_to = serializers.DateField(required=False, help_text="Last day of the period (default: 31 December of "
                                                              "date_from's year, or of this year).")
    unit = serializers.ChoiceField(choices=list(UNITS), required=False, default="won")

    def validate(self, attrs):
        period = period_between(attrs.get("date_from"), attrs.get("date_to"))
        if period.date_to < period.date_from:
            raise serializers.ValidationError({"date_to": "The period must end on or after the day it starts."})
        return attrs


class StatementScopeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=f"A fund's code, or '{CONSOLIDATED}'.")
    name_ko = serializers.CharField()
    name_en = serializers.CharField()
    statements = serializers.ListField(child=serializers.CharField(), help_text=f"Statement kinds: {', '.join(KINDS)}.")


class StatementPeriodSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()


class StatementRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="An account code, or the name of a computed line.")
    label_ko = serializers.CharField()
    label_en = serializers.CharField()
    kind = serializers.CharField(help_text="line, heading, subtotal or total.")
    amount = serializers.IntegerField(help_text="Current period, whole won.")
    prior = serializers.IntegerField(help_text="Same period a year earlier, whole won.")
    amount_in_unit = serializers.SerializerMethodField()
    prior_in_unit = serializers.SerializerMethodField()

    def get_amount_in_unit(self, row) -> int:
        return self.context["unit"].of(row.amount)

    def get_prior_in_unit(self, row) -> int:
        return self.context["unit"].of(row.prior)


class StatementCheckSerializer(serializers.Serializer):
    label_ko = serializers.CharField()
    label_en = serializers.CharField()
    ok = serializers.BooleanField()


class FinancialStatementSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=f"One of {', '.join(KINDS)}.")
    title_ko = serializers.CharField()
    title_en = serializers.CharField()
    scope = serializers.CharField(source="scope.code")
    period = StatementPeriodSerializer()
    prior_period = StatementPeriodSerializer()
    unit = serializers.SerializerMethodField()
    rows = StatementRowSerializer(many=True)
    checks = StatementCheckSerializer(many=True)
    notes = serializers.SerializerMethodField()

    def get_unit(self, statement) -> str:
        return self.context["unit"].code

    def get_notes(self, statement) -> list[dict[str, str]]:
        return [{"ko": ko, "en": en} for ko, en in statement.notes]
