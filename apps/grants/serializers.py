"""The shapes of the grants API. Amounts are whole won as JSON integers (or strings of digits, never floats).
Serializers only check and shape data; every write goes through `apps.grants.services`, called from the views."""

from __future__ import annotations

from rest_framework import serializers

from apps.ledger.serializers import AmountField
from apps.organizations.models import Organization
from apps.organizations.selectors import organizations_visible_to

from .models import Award, AwardStatus, ExpansionProject, GrantEvent, ProjectStatus, Tranche


class EventSerializer(serializers.ModelSerializer):
    award = serializers.IntegerField(source="award_id", read_only=True, allow_null=True)

    class Meta:
        model = GrantEvent
        fields = ["award", "from_status", "to_status", "actor_label", "reason", "at"]
        read_only_fields = fields


class ParticipantSerializer(serializers.ModelSerializer):
    business_registration_number = serializers.CharField(source="brn_display", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "name_ko", "name_en", "business_registration_number"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lead_name = serializers.CharField(source="lead.name_ko", read_only=True)
    country_name = serializers.CharField(read_only=True)
    total_cost = AmountField(read_only=True)
    status = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(ProjectStatus.values)}.")
    participants = ParticipantSerializer(many=True, read_only=True)

    class Meta:
        model = ExpansionProject
        fields = ["id", "fund", "lead", "lead_name", "title", "country", "country_name", "total_cost", "start_date",
                  "end_date", "status", "reason", "participants", "created_at", "decided_at"]
        read_only_fields = fields


class ProjectDetailSerializer(ProjectSerializer):
    history = EventSerializer(source="events", many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "history"]
        read_only_fields = fields


class ProjectCreateSerializer(serializers.Serializer):
    lead = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.none(),
                                              help_text="The lead large company (one you are a finance officer of).")
    title = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=2, min_length=2, help_text="ISO 3166-1 alpha-2, e.g. US or VN.")
    total_cost = AmountField(help_text="Total project cost in whole won, more than 0.")
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    participants = serializers.PrimaryKeyRelatedField(many=True, queryset=Organization.objects.all(),
                                                      help_text="The participating SMEs.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.context.get("request"), "user", None)
        # Only organisations the user may see: another company's id is refused like an unknown one.
        self.fields["lead"].queryset = organizations_visible_to(user)


class TrancheSerializer(serializers.ModelSerializer):
    amount = AmountField(read_only=True)

    class Meta:
        model = Tranche
        fields = ["id", "award", "amount", "paid_date", "entry", "paid_by_label", "created_at"]
        read_only_fields = fields


class AwardSerializer(serializers.ModelSerializer):
    sme_name = serializers.CharField(source="sme.name_ko", read_only=True)
    country = serializers.CharField(source="project.country", read_only=True)
    amount = AmountField(read_only=True)
    paid = AmountField(read_only=True)
    remaining = AmountField(read_only=True, help_text="What may still be paid; 0 once cancelled.")
    status = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(AwardStatus.values)}.")
    tranches = TrancheSerializer(many=True, read_only=True)

    class Meta:
        model = Award
        fields = ["id", "project", "country", "sme", "sme_name", "amount", "award_date", "status", "paid",
                  "remaining", "reason", "approved_by_label", "approved_at", "cancelled_at", "tranches"]
        read_only_fields = fields


class AwardCreateSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=ExpansionProject.objects.all())
    sme = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(),
                                             help_text="A participating SME of the project.")
    amount = AmountField(help_text="Whole won, more than 0.")
    award_date = serializers.DateField()


class TranchePaySerializer(serializers.Serializer):
    amount = AmountField(help_text="Whole won, at most what is left of the award.")
    paid_date = serializers.DateField()


class GrantReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2_000, help_text="Why; recorded in the history.")
