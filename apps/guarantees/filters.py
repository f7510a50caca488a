from django_filters import rest_framework as filters

from .models import Guarantee, GuaranteeProgram, GuaranteeStatus, GuaranteeTransfer


class ProgramFilter(filters.FilterSet):
    institution = filters.CharFilter(field_name="institution__code", label="Institution code, e.g. kodit")

    class Meta:
        model = GuaranteeProgram
        fields = ["institution", "organization", "is_active"]


class TransferFilter(filters.FilterSet):
    institution = filters.CharFilter(field_name="program__institution__code", label="Institution code, e.g. kodit")
    organization = filters.NumberFilter(field_name="program__organization", label="Contributor organisation id")
    year = filters.NumberFilter(field_name="transfer_date", lookup_expr="year", label="Year of the transfer")

    class Meta:
        model = GuaranteeTransfer
        fields = ["program", "institution", "organization", "year"]


class GuaranteeFilter(filters.FilterSet):
    institution = filters.CharFilter(field_name="program__institution__code", label="Institution code, e.g. kodit")
    organization = filters.NumberFilter(field_name="program__organization", label="Contributor organisation id")
    status = filters.ChoiceFilter(choices=GuaranteeStatus.choices)
    year = filters.NumberFilter(field_name="issue_date", lookup_expr="year", label="Year of issue")

    class Meta:
        model = Guarantee
        fields = ["program", "institution", "organization", "sme", "status", "year"]
