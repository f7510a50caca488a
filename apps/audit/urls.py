"""REST API of the audit trail, mounted under /api/v1/."""

from rest_framework import routers

from .api import AuditEventViewSet

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("audit/events", AuditEventViewSet, basename="audit-event")
urlpatterns = router.urls
