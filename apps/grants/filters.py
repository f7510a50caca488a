"""Query filters of the grants API: by status, country and year, as the back office filters its lists."""

from django_filters import rest_framework as filters

from .models import Award, ExpansionProject, Tranche


class ProjectFilter(filters.FilterSet):
    status = filters.CharFilter(label="proposed, approved or rejected")
    country = filters.CharFilter(lookup_expr="iexact", label="ISO 3166-1 alpha-2, e.g. US")
    year = filters.NumberFilter(field_name="start_date", lookup_expr="year", label="Year the project starts")

    class Meta:
        model = ExpansionProject
        fields = ["status", "country", "lead", "year"]


class AwardFilter(filters.FilterSet):
    status = filters.CharFilter(label="approved, paid or cancelled")
    country = filters.CharFilter(field_name="project__country", lookup_expr="iexact",
                                 label="The project's country, e.g. US")
    year = filters.NumberFilter(field_name="award_date", lookup_expr="year", label="Year of the award date")

    class Meta:
        model = Award
        fields = ["status", "country", "project", "sme", "year"]


class TrancheFilter(filters.FilterSet):
    year = filters.NumberFilter(field_name="paid_date", lookup_expr="year", label="Year paid")

    class Meta:
        model = Tranche
        fields = ["award", "year"]
