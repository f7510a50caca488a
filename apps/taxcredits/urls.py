from django.urls import path
from rest_framework import routers

from .api import IssuedStatementViewSet, StatementView

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("tax-credits/issued-statements", IssuedStatementViewSet, basename="tax-credit-issued-statement")
urlpatterns = [
    path("tax-credits/statements/", StatementView.as_view(), name="tax-credit-statement"),
    *router.urls,
]
