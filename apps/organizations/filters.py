from django_filters import rest_framework as filters

from .identifiers import normalize
from .models import Organization, SizeClass


class OrganizationFilter(filters.FilterSet):
    size_class = filters.ChoiceFilter(choices=SizeClass.choices)
    is_active = filters.BooleanFilter()
    brn = filters.CharFilter(method="filter_brn", label="Business registration number, with or without hyphens")

    class Meta:
        model = Organization
        fields = ["size_class", "is_active", "brn"]

    def filter_brn(self, queryset, name, value):
        return queryset.filter(business_registration_number=normalize(value))
