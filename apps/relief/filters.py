from django_filters import rest_framework as filters

from .models import Claim, ClaimStatus, FinePayment, PaymentStatus, Sanction, ViolationType


class SanctionFilter(filters.FilterSet):
    violation_type = filters.ChoiceFilter(choices=ViolationType.choices)
    payment_status = filters.ChoiceFilter(choices=PaymentStatus.choices, label="Derived from the payments")
    year = filters.NumberFilter(field_name="decision_date", lookup_expr="year", label="Year of the decision")

    class Meta:
        model = Sanction
        fields = ["organization", "violation_type", "payment_status", "year"]


class FinePaymentFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="paid_on", lookup_expr="year", label="Year of the payment")

    class Meta:
        model = FinePayment
        fields = ["sanction", "year"]


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)
    year = filters.NumberFilter(field_name="created_at", lookup_expr="year", label="Year the claim was filed")

    class Meta:
        model = Claim
        fields = ["claimant", "status", "year"]
