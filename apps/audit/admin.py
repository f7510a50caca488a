"""The audit trail in the back office: read only, filtered by table, action, source, actor and date; searched by object
id, actor, request, task or a text in the values before or after. Fund administrators and auditors only, whatever
model permissions say."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import RangeDateTimeFilter

from apps.core.admin_base import ReadOnlyAdmin

from .models import AuditEvent
from .permissions import may_audit
from .selectors import audited_table_names, events_search, recent_actors


class TableFilter(admin.SimpleListFilter):
    title = _("table")
    parameter_name = "table_name"

    def lookups(self, request, model_admin):
        return [(t, t) for t in audited_table_names()]

    def queryset(self, request, queryset):
        return queryset.filter(table_name=self.value()) if self.value() else queryset


class ActorFilter(admin.SimpleListFilter):
    title = _("actor")
    parameter_name = "actor_label"
    SHOWN = 100

    def lookups(self, request, model_admin):
        return [(a, a) for a in recent_actors()[:self.SHOWN]]

    def queryset(self, request, queryset):
        return queryset.filter(actor_label=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "table_name", "object_id", "action", "actor_label", "source", "ip", "task_name")
    list_filter = (TableFilter, "action", "source", ActorFilter, ("at", RangeDateTimeFilter))
    list_filter_submit = True
    search_fields = ("=object_id", "actor_label", "request", "task_name", "=task_id")
    readonly_fields = ("at", "table_name", "object_id", "action", "source", "actor_label", "user_id", "ip",
                       "task_name", "task_id", "request", "before", "after")
    date_hierarchy = "at"
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """Also finds a text inside the values before or after (a name, an amount, a registration number)."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            found = found | events_search(text=search_term).filter(pk__in=queryset.values("pk"))
        return found, duplicates

    def has_module_permission(self, request):
        return may_audit(request.user)

    def has_view_permission(self, request, obj=None):
        return may_audit(request.user)
