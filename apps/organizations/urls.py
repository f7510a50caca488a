from rest_framework import routers

from .api import OrganizationViewSet

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
urlpatterns = router.urls
