"""The audit trail's REST API: `GET /api/v1/audit/events/` (search) and `/api/v1/audit/events/<id>/`.

Fund administrators and auditors read; nobody writes (the trail is written by the database only).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from . import selectors
from .models import AuditEvent
from .permissions import AuditorsReadOnly
from .serializers import AuditEventSerializer, EventQuerySerializer


@extend_schema_view(
    list=extend_schema(summary="Search the audit trail", parameters=[EventQuerySerializer]),
    retrieve=extend_schema(summary="One audit event"),
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEventSerializer
    permission_classes = [AuditorsReadOnly]
    filter_backends: list = []
    queryset = AuditEvent.objects.all()

    def get_queryset(self):
        if self.action != "list":
            return AuditEvent.objects.all()
        query = EventQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        return selectors.events_search(text=data.pop("q", ""), **data)
