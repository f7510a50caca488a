from django_filters import rest_framework as filters

from .models import Contribution, ContributionStatus, DonationReceipt


class ContributionFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ContributionStatus.choices)
    fund = filters.CharFilter(field_name="fund__code", label="Fund code, e.g. wwcf")
    designated_use = filters.CharFilter(field_name="designated_use__code", label="Designated-use code")
    year = filters.NumberFilter(field_name="contribution_date", lookup_expr="year", label="Year of the contribution")

    class Meta:
        model = Contribution
        fields = ["status", "fund", "organization", "designated_use", "year"]


class ReceiptFilter(filters.FilterSet):
    fund = filters.CharFilter(field_name="fund__code", label="Fund code, e.g. wwcf")
    organization = filters.NumberFilter(field_name="contribution__organization", label="Donor organisation id")

    class Meta:
        model = DonationReceipt
        fields = ["fund", "fiscal_year", "organization"]
