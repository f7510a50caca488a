"""The shapes of the evaluations API. Amounts are whole won as JSON integers; scores are decimal strings. A company
sees its results as `GradeSerializer` (grade and honour status only); administrators and auditors see scores,
inputs and the rule versions used."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.organizations.models import Organization

from .models import (
    EvaluationResult,
    EvaluationRun,
    EvaluationYear,
    IndexKind,
    PartnerTier,
    RecordStatus,
    RunStatus,
    SharingMethod,
    SharingPartner,
    SharingRecord,
    SharingRecordEvent,
    TransactionType,
    YearStatus,
)


def inline_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose enum stays inline in the schema (wrapped in `allOf`, which the enum post-processing
    leaves alone): `status` and `kind` mean other sets in other rooms, and named components would collide."""

    @extend_schema_field({"allOf": [{"type": "string", "enum": list(choices.values)}]})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices.choices, **kwargs)


class PartnerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name_ko", read_only=True)

    class Meta:
        model = SharingPartner
        fields = ["organization", "name", "tier"]
        read_only_fields = ["name"]


class RecordEventSerializer(serializers.ModelSerializer):
    status = inline_choice(RecordStatus, read_only=True)

    class Meta:
        model = SharingRecordEvent
        fields = ["action", "status", "actor_label", "note", "at"]
        read_only_fields = fields


class SharingRecordSerializer(serializers.ModelSerializer):
    principal_name = serializers.CharField(source="principal.name_ko", read_only=True)
    partners = PartnerSerializer(many=True, read_only=True)
    evidence_url = serializers.SerializerMethodField(help_text="Download link (permission-checked), if a file.")
    events = RecordEventSerializer(many=True, read_only=True)
    status = inline_choice(RecordStatus, read_only=True)

    class Meta:
        model = SharingRecord
        fields = ["id", "principal", "principal_name", "project", "transaction_type", "goal", "contract_date",
                  "registration_date", "outcome", "sharing_method", "amount", "evidence_description",
                  "evidence_name", "evidence_url", "status", "reason", "confirmed_at", "confirmed_by_label",
                  "version", "partners", "events", "created_by_label", "created_at"]
        read_only_fields = fields

    def get_evidence_url(self, record: SharingRecord) -> str | None:
        if not record.evidence_file:
            return None
        return reverse("evaluation-record-evidence", args=[record.pk])


class PartnerInputSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.filter(is_active=True))
    tier = serializers.ChoiceField(choices=PartnerTier.choices)


class SharingRecordWriteSerializer(serializers.Serializer):
    """What a company sends to register (all fields) or change (any of them, with `version`) a record."""

    principal = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False,
                                                   help_text="Required when registering.")
    project = serializers.CharField(max_length=200)
    transaction_type = serializers.ChoiceField(choices=TransactionType.choices)
    goal = serializers.CharField()
    contract_date = serializers.DateField()
    outcome = serializers.CharField(required=False, allow_blank=True)
    sharing_method = serializers.ChoiceField(choices=SharingMethod.choices)
    amount = serializers.IntegerField(min_value=1, help_text="Whole won.")
    evidence_description = serializers.CharField()
    partners = PartnerInputSerializer(many=True, allow_empty=False)
    version = serializers.IntegerField(required=False, help_text="When changing: the version you read.")


class RecordReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class EvaluationResultSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name_ko", read_only=True)
    kind = inline_choice(IndexKind, read_only=True)

    class Meta:
        model = EvaluationResult
        fields = ["id", "organization", "organization_name", "year", "kind", "score", "grade", "deferred",
                  "honour", "inputs", "rules", "rule", "run", "computed_at"]
        read_only_fields = fields


class GradeSerializer(serializers.ModelSerializer):
    """A company's own published result: the grade and honour status, nothing else."""

    organization_name = serializers.CharField(source="organization.name_ko", read_only=True)
    kind = inline_choice(IndexKind, read_only=True)

    class Meta:
        model = EvaluationResult
        fields = ["id", "organization", "organization_name", "year", "kind", "grade", "deferred", "honour"]
        read_only_fields = fields


class EvaluationRunSerializer(serializers.ModelSerializer):
    kind = inline_choice(IndexKind, read_only=True)
    status = inline_choice(RunStatus, read_only=True)

    class Meta:
        model = EvaluationRun
        fields = ["id", "kind", "year", "status", "done", "total", "error", "actor_label", "created_at",
                  "started_at", "finished_at"]
        read_only_fields = fields


class KindYearSerializer(serializers.Serializer):
    kind = inline_choice(IndexKind)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class EvaluationYearSerializer(serializers.ModelSerializer):
    kind = inline_choice(IndexKind, read_only=True)
    status = inline_choice(YearStatus, read_only=True)

    class Meta:
        model = EvaluationYear
        fields = ["id", "kind", "year", "status", "published_at", "published_by_label", "reopened_at",
                  "reopened_by_label"]
        read_only_fields = fields
