"""The back office for the ledger (django-unfold).

Posted records are never edited or deleted here: entries, lines, seals and period events are read-only for
everyone, superusers included. What changes money goes through `apps.ledger.services`, exactly as the API and the
tasks do: reversing entries, voiding holds, closing and reopening periods are admin actions that call a service and
report its typed refusals as messages. Only account and ledger metadata (names, flags, parent) is edited in place,
and those saves write just the edited columns, never the stored totals that postings keep.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminTextareaWidget

from apps.core.admin_base import ReadOnlyAdmin
from apps.core.money import format_korean, format_won, from_minor
from apps.core.roles import is_fund_admin

from . import services
from .exceptions import LedgerError
from .models import (
    Account,
    AccountType,
    EntrySeal,
    FiscalPeriod,
    Hold,
    HoldLine,
    HoldStatus,
    JournalEntry,
    JournalLine,
    Ledger,
    PeriodEvent,
    PeriodStatus,
    VerificationRun,
)


def amount_text(minor: int, currency: str = "KRW") -> str:
    """Won with separators and 원; another currency as its amount and code."""
    if currency == "KRW":
        return format_won(minor)
    return f"{from_minor(minor, currency).amount:,} {currency}"


def korean_text(minor: int, currency: str = "KRW") -> str:
    return format_korean(minor) if currency == "KRW" else ""


def local_time(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def nowrap(text) -> str:
    return format_html('<span class="whitespace-nowrap">{}</span>', text)


class LedgerFilter(admin.RelatedFieldListFilter):
    """The ledger filter, titled in the reader's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("ledger")


class LedgerColumn:
    """Translated, compact columns for the records of one ledger (the models leave some labels untranslated)."""

    @display(description=_("ledger"), ordering="ledger__code")
    def ledger_code(self, obj) -> str:
        return format_html('<span title="{}">{}</span>', obj.ledger.name_ko, obj.ledger.code)

    @display(description=_("effective date"), ordering="effective_date")
    def effective_day(self, obj) -> str:
        return nowrap(obj.effective_date.isoformat())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "ledger":
            kwargs.setdefault("label", _("ledger"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @display(description=_("ledger"))
    def ledger_link(self, obj) -> str:
        url = reverse("admin:ledger_ledger_change", args=[obj.ledger_id])
        return format_html('<a href="{}">{}</a>', url, obj.ledger)


class ReadOnlyInline(TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False
    hide_title = True

    @display(description=_("account"))
    def account_link(self, line) -> str:
        url = reverse("admin:ledger_account_change", args=[line.account_id])
        return format_html('<a href="{}">{}</a>', url, line.account)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FundAdminActions:
    """Actions that move money are for fund administrators (and superusers), never for auditors."""

    def has_manage_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_fund_admin(request.user) and self.has_view_permission(request)


def _report(request: HttpRequest, done: list[str], refused: list[str]) -> None:
    for text in done:
        messages.success(request, text)
    for text in refused:
        messages.error(request, text)


# Ledgers and accounts


@admin.register(Ledger)
class LedgerAdmin(ModelAdmin):
    list_display = ("code", "name_ko", "name_en", "currency", "closed_years_display", "account_count")
    search_fields = ("code", "name_ko", "name_en")
    fields = ("code", "name_ko", "name_en", "currency", "closed_years_display", "created_at")
    readonly_fields = ("closed_years_display", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(account_total=Count("accounts"))

    def get_readonly_fields(self, request, obj=None):
        # The code and currency are what entries and accounts were written against: fixed once created.
        fixed = ("code", "currency") if obj else ()
        return (*fixed, *self.readonly_fields)

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("closed fiscal years"))
    def closed_years_display(self, obj: Ledger) -> str:
        return ", ".join(str(y) for y in obj.closed_years) or "—"

    @display(description=_("number of accounts"), ordering="account_total")
    def account_count(self, obj: Ledger) -> int:
        return obj.account_total

    def save_model(self, request, obj, form, change):
        if change:
            # Only the names: `closed_years` is kept by the period services under a lock.
            obj.save(update_fields=["name_ko", "name_en"])
        else:
            super().save_model(request, obj, form, change)


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ("ledger", "code", "name_ko", "name_en", "type", "currency", "parent", "is_active", "non_negative")

    def clean(self):
        cleaned = super().clean()
        ledger = cleaned.get("ledger") or getattr(self.instance, "ledger", None)
        parent = cleaned.get("parent")
        if parent is not None and ledger is not None and parent.ledger_id != ledger.pk:
            self.add_error("parent", _("The parent account must belong to the same ledger."))
        if parent is not None and self.instance.pk and parent.pk == self.instance.pk:
            self.add_error("parent", _("An account cannot be its own parent."))
        currency = cleaned.get("currency")
        if currency and currency not in settings.CURRENCIES:
            self.add_error("currency", _("Use one of the currencies the ledger keeps: %(codes)s.")
                           % {"codes": ", ".join(settings.CURRENCIES)})
        if cleaned.get("non_negative") and self.instance.pk and self.instance.available_minor < 0:
            self.add_error("non_negative", _("The account is below zero now; it cannot be limited until it is not."))
        return cleaned


@admin.register(Account)
class AccountAdmin(LedgerColumn, ModelAdmin):
    form = AccountForm
    list_display = (
        "code", "name_ko", "name_en", "type", "ledger_code", "balance_display", "available_display", "non_negative",
        "is_active",
    )
    list_display_links = ("code", "name_ko")
    list_filter = (("ledger", LedgerFilter), "type", "is_active", "non_negative")
    list_select_related = ("ledger",)
    search_fields = ("code", "name_ko", "name_en")
    ordering = ("ledger__code", "code")
    readonly_fields = ("balance_text", "available_text", "debit_total_text", "credit_total_text",
                       "reserved_text")
    editable_after_creation = ("name_ko", "name_en", "parent", "is_active", "non_negative")

    def get_fieldsets(self, request, obj=None):
        main = ("code", "name_ko", "name_en", "type", "currency", "parent", "is_active", "non_negative")
        if obj is None:
            return ((None, {"fields": ("ledger", *main)}),)
        totals = self.readonly_fields
        return ((None, {"fields": ("ledger_link", *main)}),
                (_("Balances (kept by posting, read-only)"), {"fields": totals}))

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Ledger, code, type and currency decide how the lines already posted read: fixed once created.
        return (*self.readonly_fields, "ledger_link", "code", "type", "currency")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "parent" in form.base_fields:
            form.base_fields["parent"].queryset = Account.objects.filter(ledger_id=obj.ledger_id).exclude(pk=obj.pk)
        return form

    def save_model(self, request, obj, form, change):
        if change:
            # Never write the stored totals from a form read earlier: a posting may have changed them since.
            obj.save(update_fields=list(self.editable_after_creation))
        else:
            super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is None or not super().has_delete_permission(request, obj):
            return False
        # An account that anything was ever posted, reserved or filed under stays, deactivated if need be.
        return not (obj.lines.exists() or obj.hold_lines.exists() or obj.children.exists())

    @display(description=_("balance"), header=True)
    def balance_display(self, obj: Account):
        return amount_text(obj.balance_minor, obj.currency), korean_text(obj.balance_minor, obj.currency)

    @display(description=_("available"), header=True)
    def available_display(self, obj: Account):
        return amount_text(obj.available_minor, obj.currency), korean_text(obj.available_minor, obj.currency)

    def _both(self, obj: Account, minor: int) -> str:
        korean = korean_text(minor, obj.currency)
        return f"{amount_text(minor, obj.currency)} ({korean})" if korean else amount_text(minor, obj.currency)

    @display(description=_("balance"))
    def balance_text(self, obj: Account) -> str:
        return self._both(obj, obj.balance_minor)

    @display(description=_("available"))
    def available_text(self, obj: Account) -> str:
        return self._both(obj, obj.available_minor)

    @display(description=_("total debits"))
    def debit_total_text(self, obj: Account) -> str:
        return amount_text(obj.debit_total, obj.currency)

    @display(description=_("total credits"))
    def credit_total_text(self, obj: Account) -> str:
        return amount_text(obj.credit_total, obj.currency)

    @display(description=_("reserved by holds"))
    def reserved_text(self, obj: Account) -> str:
        return (f"{gettext('debit')} {amount_text(obj.pending_debit, obj.currency)} · "
                f"{gettext('credit')} {amount_text(obj.pending_credit, obj.currency)}")


# Entries


class AmountSides:
    """Debit and credit columns of a line (journal or hold) in won."""

    @display(description=_("debit"))
    def debit_display(self, line) -> str:
        return amount_text(line.debit, line.currency) if line.debit else ""

    @display(description=_("credit"))
    def credit_display(self, line) -> str:
        return amount_text(line.credit, line.currency) if line.credit else ""


class JournalLineInline(AmountSides, ReadOnlyInline):
    model = JournalLine
    fields = ("account_link", "debit_display", "credit_display", "currency", "party", "balance_after_display")
    readonly_fields = fields
    ordering = ("id",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account")


    @display(description=_("balance after"))
    def balance_after_display(self, line: JournalLine) -> str:
        # Stored as debit minus credit; shown on the account's normal side, like its balance.
        signed = line.balance_after if line.account.is_debit_normal else -line.balance_after
        return amount_text(signed, line.currency)


def yes_no_filter(title, parameter: str, lookup: str) -> type[admin.SimpleListFilter]:
    """A Yes/No list filter on whether `lookup` (a nullable relation) is set."""

    class YesNoFilter(admin.SimpleListFilter):
        parameter_name = parameter

        def lookups(self, request, model_admin):
            return (("yes", _("Yes")), ("no", _("No")))

        def queryset(self, request, queryset):
            if self.value() in ("yes", "no"):
                return queryset.filter(**{f"{lookup}__isnull": self.value() == "no"})
            return queryset

    YesNoFilter.title = title
    return YesNoFilter


ReversalFilter = yes_no_filter(_("reversal"), "reversal", "reverses")
ReversedFilter = yes_no_filter(_("reversed"), "reversed", "reversed_by")


@admin.register(JournalEntry)
class JournalEntryAdmin(FundAdminActions, LedgerColumn, ReadOnlyAdmin):
    list_display = ("id", "seal_number", "effective_day", "ledger_code", "memo_short", "reference", "actor_label",
                    "total_display")
    list_display_links = ("id", "seal_number")
    list_filter = (("ledger", LedgerFilter), ReversalFilter, ReversedFilter)
    list_select_related = ("ledger", "seal")
    date_hierarchy = "effective_date"
    search_fields = ("memo", "reference", "idempotency_key")
    inlines = (JournalLineInline,)
    actions = ("reverse_entries",)
    actions_detail = ("reverse_this_entry",)
    fieldsets = (
        (None, {"fields": ("ledger_link", "effective_date", "memo", "reference", "total_display")}),
        (_("Posting"), {"fields": ("posted_at", "actor_label", "posted_by", "idempotency_key", "hold",
                                   "transfer_id", "metadata")}),
        (_("Reversal"), {"fields": ("reverses", "reversed_by_link")}),
        (_("Seal"), {"fields": ("seal_number", "seal_hash", "seal_previous_hash", "sealed_at")}),
    )
    readonly_fields = (
        "ledger_link", "effective_date", "memo", "reference", "total_display", "posted_at", "actor_label", "posted_by",
        "idempotency_key", "hold", "transfer_id", "metadata", "reverses", "reversed_by_link", "seal_number",
        "seal_hash", "seal_previous_hash", "sealed_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total=Sum("lines__debit"))

    @display(description=_("number"), ordering="seal__number")
    def seal_number(self, entry: JournalEntry) -> str:
        return nowrap(entry.seal.display_number) if hasattr(entry, "seal") else "—"

    @display(description=_("memo"))
    def memo_short(self, entry: JournalEntry) -> str:
        return entry.memo if len(entry.memo) <= 60 else entry.memo[:57] + "…"

    @display(description=_("total"), ordering="total")
    def total_display(self, entry: JournalEntry) -> str:
        return nowrap(format_won(entry.total or 0))

    @display(description=_("reversed by"))
    def reversed_by_link(self, entry: JournalEntry) -> str:
        reversal = JournalEntry.objects.filter(reverses_id=entry.pk).first()
        if reversal is None:
            return "—"
        url = reverse("admin:ledger_journalentry_change", args=[reversal.pk])
        return format_html('<a href="{}">#{}</a>', url, reversal.pk)

    @display(description=_("seal hash"))
    def seal_hash(self, entry: JournalEntry) -> str:
        return entry.seal.hash if hasattr(entry, "seal") else "—"

    @display(description=_("previous hash"))
    def seal_previous_hash(self, entry: JournalEntry) -> str:
        return entry.seal.previous_hash if hasattr(entry, "seal") else "—"

    @display(description=_("sealed at"))
    def sealed_at(self, entry: JournalEntry) -> str:
        return local_time(entry.seal.sealed_at) if hasattr(entry, "seal") else "—"

    def has_reverse_permission(self, request, obj=None) -> bool:
        if obj is not None and JournalEntry.objects.filter(reverses_id=getattr(obj, "pk", obj)).exists():
            return False  # on an entry's page: no button to reverse what is already reversed
        return self.has_manage_permission(request)

    def _reverse(self, request, entries) -> None:
        done, refused = [], []
        for entry in entries:
            try:
                reversal = services.entry_reverse(actor=request.user, entry=entry)
            except LedgerError as exc:
                refused.append(gettext("Entry #%(id)s was not reversed: %(reason)s")
                               % {"id": entry.pk, "reason": exc.message})
            else:
                done.append(gettext("Entry #%(id)s reversed by entry #%(reversal)s.")
                            % {"id": entry.pk, "reversal": reversal.pk})
        _report(request, done, refused)

    @admin.action(description=_("Reverse selected entries"), permissions=["reverse"])
    def reverse_entries(self, request, queryset):
        self._reverse(request, queryset.order_by("id"))

    @action(description=_("Reverse this entry"), permissions=["reverse"], icon="undo")
    def reverse_this_entry(self, request, object_id):
        if request.method != "POST":
            # A link must not move money: confirm with a POST from the entry's page.
            return TemplateResponse(request, "admin/ledger/journalentry/reverse_confirm.html", {
                **self.admin_site.each_context(request), "opts": self.model._meta,
                "entry": self.get_object(request, object_id), "title": gettext("Reverse this entry"),
            })
        self._reverse(request, JournalEntry.objects.filter(pk=object_id))
        return HttpResponseRedirect(reverse("admin:ledger_journalentry_change", args=[object_id]))


# Holds


class HoldLineInline(AmountSides, ReadOnlyInline):
    model = HoldLine
    fields = ("account_link", "debit_display", "credit_display", "currency", "party")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("account")



@admin.register(Hold)
class HoldAdmin(FundAdminActions, LedgerColumn, ReadOnlyAdmin):
    list_display = ("id", "effective_day", "ledger_code", "memo", "amount_display", "remaining_display",
                    "status_label", "actor_label")
    list_filter = (("ledger", LedgerFilter), "status")
    list_select_related = ("ledger",)
    search_fields = ("memo", "reference", "idempotency_key")
    inlines = (HoldLineInline,)
    actions = ("void_holds",)
    readonly_fields = ("ledger_link", "effective_date", "memo", "reference", "amount_display", "remaining_display",
                       "status", "created_at", "actor_label", "idempotency_key", "voided_at", "void_reason")
    fields = readonly_fields

    @display(description=_("amount"), ordering="amount")
    def amount_display(self, hold: Hold) -> str:
        return nowrap(format_won(hold.amount))

    @display(description=_("remaining"), ordering="remaining")
    def remaining_display(self, hold: Hold) -> str:
        return nowrap(format_won(hold.remaining))

    @display(description=_("status"), ordering="status", label={
        HoldStatus.OPEN: "info", HoldStatus.POSTED: "success", HoldStatus.VOIDED: "warning",
    })
    def status_label(self, hold: Hold):
        return hold.status, hold.get_status_display()

    def has_void_permission(self, request, obj=None) -> bool:
        return self.has_manage_permission(request)

    @admin.action(description=_("Void selected holds"), permissions=["void"])
    def void_holds(self, request, queryset):
        done, refused = [], []
        reason = gettext("Voided from the admin by %(user)s") % {"user": request.user.get_username()}
        for hold in queryset.order_by("id"):
            try:
                services.hold_void(actor=request.user, hold=hold, reason=reason)
            except LedgerError as exc:
                refused.append(gettext("Hold #%(id)s was not voided: %(reason)s") % {"id": hold.pk,
                                                                                    "reason": exc.message})
            else:
                done.append(gettext("Hold #%(id)s voided; its reservation is released.") % {"id": hold.pk})
        _report(request, done, refused)


# Periods


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}), max_length=1000,
        help_text=_("Recorded with the period's history, with your name."),
    )


@admin.register(FiscalPeriod)
class FiscalPeriodAdmin(FundAdminActions, LedgerColumn, ModelAdmin):
    list_display = ("ledger_name", "year", "status_label", "closing_entry")
    list_filter = (("ledger", LedgerFilter), "status", "year")
    list_select_related = ("ledger", "closing_entry")
    actions = ("close_periods", "reopen_periods")
    def get_fields(self, request, obj=None):
        return ("ledger" if obj is None else "ledger_link", "year", "status", "closing_entry")

    def get_readonly_fields(self, request, obj=None):
        # Opening a period row is harmless; its status only ever changes through the close and reopen services.
        return ("status", "closing_entry") if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("ledger"), ordering="ledger__code")
    def ledger_name(self, period: FiscalPeriod) -> str:
        return str(period.ledger)

    @display(description=_("status"), ordering="status", label={
        PeriodStatus.OPEN: "info", PeriodStatus.CLOSED: "success",
    })
    def status_label(self, period: FiscalPeriod):
        return period.status, period.get_status_display()

    def has_period_permission(self, request, obj=None) -> bool:
        return self.has_manage_permission(request)

    @admin.action(description=_("Close period"), permissions=["period"])
    def close_periods(self, request, queryset):
        done, refused = [], []
        for period in queryset.select_related("ledger").order_by("ledger__code", "year"):
            net_assets = (Account.objects.filter(ledger=period.ledger, type=AccountType.NET_ASSETS, is_active=True)
                          .order_by("code").first())
            if net_assets is None:
                refused.append(gettext("%(period)s: the ledger has no active net-assets account to close into.")
                               % {"period": period})
                continue
            try:
                services.period_close(actor=request.user, ledger=period.ledger, year=period.year,
                                      net_assets_account=net_assets)
            except LedgerError as exc:
                refused.append(gettext("%(ledger)s FY%(year)s was not closed: %(reason)s")
                               % {"ledger": period.ledger.code, "year": period.year, "reason": exc.message})
            else:
                done.append(gettext("%(ledger)s FY%(year)s closed into %(account)s.")
                            % {"ledger": period.ledger.code, "year": period.year, "account": net_assets})
        _report(request, done, refused)

    @admin.action(description=_("Reopen period"), permissions=["period"])
    def reopen_periods(self, request, queryset):
        form = ReopenForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(request, "admin/ledger/fiscalperiod/reopen.html", {
                **self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                "periods": queryset.select_related("ledger"), "title": gettext("Reopen period"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            })
        done, refused = [], []
        for period in queryset.select_related("ledger").order_by("ledger__code", "year"):
            try:
                services.period_reopen(actor=request.user, ledger=period.ledger, year=period.year,
                                       reason=form.cleaned_data["reason"])
            except LedgerError as exc:
                refused.append(gettext("%(ledger)s FY%(year)s was not reopened: %(reason)s")
                               % {"ledger": period.ledger.code, "year": period.year, "reason": exc.message})
            else:
                done.append(gettext("%(ledger)s FY%(year)s reopened.") % {"ledger": period.ledger.code,
                                                                          "year": period.year})
        _report(request, done, refused)
        return None


@admin.register(PeriodEvent)
class PeriodEventAdmin(ReadOnlyAdmin):
    list_display = ("when", "period", "event", "who", "why")
    list_filter = ("action", ("period__ledger", LedgerFilter))
    list_select_related = ("period__ledger",)
    search_fields = ("reason", "actor_label")

    @display(description=_("at"), ordering="at")
    def when(self, event: PeriodEvent):
        return event.at

    @display(description=_("action"), ordering="action")
    def event(self, event: PeriodEvent) -> str:
        return event.get_action_display()

    @display(description=_("actor"), ordering="actor_label")
    def who(self, event: PeriodEvent) -> str:
        return event.actor_label

    @display(description=_("Reason"))
    def why(self, event: PeriodEvent) -> str:
        return event.reason


@admin.register(EntrySeal)
class EntrySealAdmin(LedgerColumn, ReadOnlyAdmin):
    list_display = ("display_number", "ledger_code", "entry_link", "position", "hash_short", "sealed")
    list_filter = (("ledger", LedgerFilter), "fiscal_year")
    list_select_related = ("ledger", "entry")
    search_fields = ("hash",)

    @display(description=_("number"), ordering="number")
    def display_number(self, seal: EntrySeal) -> str:
        return nowrap(seal.display_number)

    @display(description=_("journal entry"), ordering="entry_id")
    def entry_link(self, seal: EntrySeal) -> str:
        url = reverse("admin:ledger_journalentry_change", args=[seal.entry_id])
        return format_html('<a href="{}">#{}</a>', url, seal.entry_id)

    @display(description=_("chain position"), ordering="chain_index")
    def position(self, seal: EntrySeal) -> int:
        return seal.chain_index

    @display(description=_("hash"))
    def hash_short(self, seal: EntrySeal) -> str:
        return format_html('<span title="{}">{}…</span>', seal.hash, seal.hash[:16])

    @display(description=_("sealed at"), ordering="sealed_at")
    def sealed(self, seal: EntrySeal):
        return seal.sealed_at


@admin.register(VerificationRun)
class VerificationRunAdmin(ReadOnlyAdmin):
    list_display = ("started", "finished", "passed", "problem_count", "who")
    list_filter = ("ok",)

    @display(description=_("started"), ordering="started_at")
    def started(self, run: VerificationRun):
        return run.started_at

    @display(description=_("finished"), ordering="finished_at")
    def finished(self, run: VerificationRun):
        return run.finished_at

    @display(description=_("passed"), boolean=True, ordering="ok")
    def passed(self, run: VerificationRun) -> bool:
        return run.ok

    @display(description=_("problems"))
    def problem_count(self, run: VerificationRun) -> int:
        return len(run.problems or [])

    @display(description=_("actor"), ordering="actor_label")
    def who(self, run: VerificationRun) -> str:
        return run.actor_label
