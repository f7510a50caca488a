"""REST API of auditors' ledger exports (CSV, XLSX, SAF-T XML), mounted under /api/v1/."""

from rest_framework import routers

from .api import ExportJobViewSet

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("exports/jobs", ExportJobViewSet, basename="exports-job")
urlpatterns = router.urls
