"""The funds in the back office (django-unfold): names, managing institution and target are edited here; progress
is shown read-only, read from the ledger. Funds are created by `setup_funds` and never deleted."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from apps.core.money import format_korean, format_won

from . import selectors
from .models import Fund


def _won(won: int | None) -> str:
    if won is None:
        return "—"
    return format_html('<span class="whitespace-nowrap" title="{}">{}</span>', format_won(won), format_korean(won))


def _percent(totals: selectors.FundTotals) -> str:
    percent = totals.percent_of_target
    return "—" if percent is None else f"{percent}%"


def _table(headers: tuple[str, str], rows: list[tuple[object, int]]) -> str:
    if not rows:
        return "—"
    body = format_html_join("", '<tr><td class="pr-6">{}</td><td class="text-right">{}</td></tr>',
                            ((label, _won(won)) for label, won in rows))
    return format_html('<table><thead><tr><th class="pr-6 text-left">{}</th><th class="text-right">{}</th></tr>'
                       "</thead><tbody>{}</tbody></table>", headers[0], headers[1], body)


@admin.register(Fund)
class FundAdmin(ModelAdmin):
    list_display = ("code", "name_ko", "name_en", "managing_institution_ko", "target_display", "raised_display",
                    "percent_display", "is_active")
    list_display_links = ("code", "name_ko")
    search_fields = ("code", "name_ko", "name_en", "managing_institution_ko", "managing_institution_en")
    list_filter = ("is_active",)
    list_select_related = ("ledger",)
    readonly_fields = ("code", "ledger_link", "raised_display", "percent_display", "cash_display",
                       "by_year_display", "by_contributor_display", "by_designated_use_display")
    fieldsets = (
        (None, {"fields": ("code", "name_ko", "name_en", "ledger_link", "description", "is_active")}),
        (_("Managing institution"), {"fields": ("managing_institution_ko", "managing_institution_en")}),
        (_("Target"), {"fields": ("target_amount", "target_start_year", "target_end_year")}),
        (_("Progress (read from the ledger)"), {"fields": (
            "raised_display", "percent_display", "cash_display", "by_year_display", "by_contributor_display",
            "by_designated_use_display",
        )}),
    )

    def has_add_permission(self, request, obj=None):
        return False  # the funds and their ledgers come from `setup_funds`

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def _totals(self, fund: Fund) -> selectors.FundTotals:
        # One read of the ledger per fund and request, shared by the columns and fields that show it.
        cached = getattr(fund, "_progress", None)
        if cached is None:
            cached = fund._progress = selectors.fund_totals(fund)
        return cached

    def _progress(self, fund: Fund) -> selectors.FundProgress:
        cached = getattr(fund, "_progress", None)
        if not isinstance(cached, selectors.FundProgress):
            cached = fund._progress = selectors.fund_progress(fund)
        return cached

    @display(description=_("target"), ordering="target_amount")
    def target_display(self, fund: Fund) -> str:
        if fund.target_amount is None:
            return "—"
        period = f" ({fund.target_period})" if fund.target_period else ""
        return format_html("{}{}", _won(fund.target_amount), period)

    @display(description=_("raised so far"))
    def raised_display(self, fund: Fund) -> str:
        return _won(self._totals(fund).raised)

    @display(description=_("share of target"))
    def percent_display(self, fund: Fund) -> str:
        return _percent(self._totals(fund))

    @display(description=_("cash"))
    def cash_display(self, fund: Fund) -> str:
        return _won(self._totals(fund).cash)

    @display(description=_("ledger"))
    def ledger_link(self, fund: Fund) -> str:
        url = reverse("admin:ledger_ledger_change", args=[fund.ledger_id])
        return format_html('<a href="{}">{}</a>', url, fund.ledger)

    @display(description=_("raised by year"))
    def by_year_display(self, fund: Fund) -> str:
        return _table((_("year"), _("raised")), sorted(self._progress(fund).by_year.items()))

    @display(description=_("raised by contributor"))
    def by_contributor_display(self, fund: Fund) -> str:
        rows = sorted(self._progress(fund).by_contributor.items(), key=lambda r: (-r[1], r[0]))
        return _table((_("contributor"), _("raised")), rows)

    @display(description=_("raised by designated use"))
    def by_designated_use_display(self, fund: Fund) -> str:
        rows = [(use or _("(none)"), won) for use, won in self._progress(fund).by_designated_use.items()]
        return _table((_("designated use"), _("raised")), rows)
