"""The shapes of the exports API: an export request, and a job with its progress and control totals."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from .models import ExportFormat, ExportJob, ExportKind, JobStatus


class ExportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExportKind.choices)
    format = serializers.ChoiceField(choices=ExportFormat.choices)
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
    control = ControlSerializer(read_only=True, allow_null=True)
    filename = serializers.CharField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = ["id", "requested_by", "kind", "format", "fund_code", "account_code", "date_from", "date_to",
                  "status", "progress", "lines_done", "lines_total", "size", "filename", "control", "error",
                  "created_at", "started_at", "finished_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != JobStatus.DONE:
            return None
        return reverse("exports-job-download", args=[job.pk])

    def to_representation(self, job):
        data = super().to_representation(job)
        data["control"] = job.control or None
        return data
