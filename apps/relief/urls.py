"""REST API of sanctions, fines and damage-relief claims, mounted under /api/v1/."""

from django.urls import path
from rest_framework import routers

from .api import ClaimViewSet, DocumentDownloadView, FinePaymentViewSet, FundView, SanctionViewSet

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("relief/sanctions", SanctionViewSet, basename="relief-sanction")
router.register("relief/fine-payments", FinePaymentViewSet, basename="relief-fine-payment")
router.register("relief/claims", ClaimViewSet, basename="relief-claim")
urlpatterns = [
    *router.urls,
    path("relief/documents/<int:pk>/download/", DocumentDownloadView.as_view(), name="relief-document-download"),
    path("relief/fund/", FundView.as_view(), name="relief-fund"),
]
