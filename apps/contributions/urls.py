from rest_framework import routers

from .api import ContributionViewSet, ReceiptViewSet

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("receipts", ReceiptViewSet, basename="receipt")
urlpatterns = router.urls
