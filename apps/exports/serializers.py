"""The shapes of the exports API: an export request, and a job with its progress and control totals."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import ExportFormat, ExportJob, ExportKind, JobStatus


def one_of(choices, **kwargs) -> serializers.CharField:
    """A code checked by the export's own validation (which names the field at fault), documented by its values.
    Not a ChoiceField: `kind` and `status` enums of other apps would collide with these in the schema."""
    return serializers.CharField(help_text="One of: " + ", ".join(value for value, _ in choices) + ".", **kwargs)


class ExportRequestSerializer(serializers.Serializer):
    kind = one_of(ExportKind.choices)
    format = one_of(ExportFormat.choices)
    fund = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text="Fund code (wwcf, wwfp, sef, relief); empty for every fund.")
    account = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text="Account code, for a statement.")
    date_from = serializers.DateField()
    date_to = serializers.DateField()


class ControlSerializer(serializers.Serializer):
    entries = serializers.IntegerField()
    lines = serializers.IntegerField()
    total_debit = serializers.IntegerField()
    total_credit = serializers.IntegerField()
    unsealed_entries = serializers.IntegerField()
    last_seals = serializers.ListField(child=serializers.DictField())


class ExportJobSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    kind = one_of(ExportKind.choices, read_only=True)
    format = one_of(ExportFormat.choices, read_only=True)
    status = one_of(JobStatus.choices, read_only=True)
    control = serializers.SerializerMethodField()
    filename = serializers.CharField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "requested_by", "kind", "format", "fund_code", "account_code", "date_from", "date_to",
                  "status", "progress", "lines_done", "lines_total", "size", "filename", "control", "error",
                  "created_at", "started_at", "finished_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != JobStatus.DONE:
            return None
        return reverse("exports-job-download", args=[job.pk])

    @extend_schema_field(ControlSerializer(allow_null=True))
    def get_control(self, job: ExportJob) -> dict | None:
        """Known once the job is done."""
        return job.control or None
