"""Export jobs in the back office: listed read-only (the services write them), with their progress and totals."""

from django.contrib import admin

from apps.core.admin_base import ReadOnlyAdmin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "requested_by", "kind", "format", "fund_code", "date_from", "date_to",
                    "status", "progress", "lines_total", "finished_at")
    list_filter = ("status", "kind", "format", "fund_code")
    list_select_related = ("requested_by",)
    search_fields = ("requested_by__username", "fund_code", "account_code")
