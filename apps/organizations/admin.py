"""The back office for organisations and their members (django-unfold).

Registration numbers are typed with or without hyphens and shown formatted; the organisation search finds a
business or corporate registration number however it is typed (`124-81-00998`, `1248100998`, `124 81 00998`).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from .identifiers import normalize
from .models import Membership, Organization

MIN_NUMBER_SEARCH = 3  # fewer digits would match most numbers and say nothing


def registration_number_query(search_term: str) -> Q | None:
    """A query on the stored digits when the term is a (part of a) registration number, else None."""
    digits = normalize(search_term.strip())
    if len(digits) < MIN_NUMBER_SEARCH or not (digits.isascii() and digits.isdigit()):
        return None
    return Q(business_registration_number__contains=digits) | Q(corporate_registration_number__contains=digits)


class MembershipInline(TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(ModelAdmin):
    list_display = ("name_ko", "name_en", "brn_column", "size_class", "is_active")
    list_filter = ("size_class", "is_active")
    list_filter_submit = True
    search_fields = ("name_ko", "name_en", "business_registration_number", "corporate_registration_number")
    search_help_text = _("Name, or a registration number with or without hyphens.")
    ordering = ("name_ko",)
    filter_horizontal = ("related_parties", "partner_smes")
    readonly_fields = ("party", "created_at")
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("name_ko", "name_en", "size_class", "is_active")}),
        (_("Registration"), {"fields": ("business_registration_number", "corporate_registration_number")}),
        (_("Relations"), {"fields": ("related_parties", "partner_smes")}),
        (_("Record"), {"fields": ("party", "created_at")}),
    )

    @display(description=_("business registration number"), ordering="business_registration_number")
    def brn_column(self, obj: Organization) -> str:
        return obj.brn_display

    @display(description=_("ledger party"))
    def party(self, obj: Organization) -> str:
        return obj.party if obj.pk else ""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        by_number = registration_number_query(search_term)
        if by_number is not None:
            results = results | queryset.filter(by_number)
        return results, may_have_duplicates


@admin.register(Membership)
class MembershipAdmin(ModelAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", "organization__size_class")
    list_filter_submit = True
    list_select_related = ("user", "organization")
    search_fields = ("user__username", "user__email", "organization__name_ko", "organization__name_en",
                     "organization__business_registration_number")
    autocomplete_fields = ("user", "organization")
    readonly_fields = ("created_at",)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digits = normalize(search_term.strip())
        if len(digits) >= MIN_NUMBER_SEARCH and digits.isascii() and digits.isdigit():
            results = results | queryset.filter(organization__business_registration_number__contains=digits)
        return results, may_have_duplicates
