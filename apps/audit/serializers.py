"""The audit trail as the API shows it, and the query it accepts."""

from rest_framework import serializers

from .models import Action, AuditEvent, Source


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "at", "table_name", "object_id", "action", "source", "actor_label", "user_id", "ip",
                  "task_name", "task_id", "request", "before", "after"]
        read_only_fields = fields


class EventQuerySerializer(serializers.Serializer):
    table = serializers.CharField(required=False, allow_blank=True, max_length=128, help_text="Table name")
    action = serializers.ChoiceField(choices=Action.choices, required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=Source.choices, required=False, allow_blank=True)
    actor = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="Part of the actor")
    object_id = serializers.CharField(required=False, allow_blank=True, max_length=64)
    q = serializers.CharField(required=False, allow_blank=True, max_length=200,
                              help_text="Text found in the values before or after")
    date_from = serializers.DateField(required=False, help_text="On or after this day (YYYY-MM-DD)")
    date_to = serializers.DateField(required=False, help_text="On or before this day (YYYY-MM-DD)")
