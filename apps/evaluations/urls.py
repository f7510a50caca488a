"""REST API of performance sharing and the evaluation indices, mounted under /api/v1/."""

from django.urls import path
from rest_framework import routers

from .api import (
    EvaluationResultViewSet,
    EvaluationRunViewSet,
    EvaluationYearViewSet,
    PublishView,
    RecomputeView,
    ReopenView,
    SharingRecordViewSet,
)

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("evaluations/records", SharingRecordViewSet, basename="evaluation-record")
router.register("evaluations/results", EvaluationResultViewSet, basename="evaluation-result")
router.register("evaluations/runs", EvaluationRunViewSet, basename="evaluation-run")
router.register("evaluations/years", EvaluationYearViewSet, basename="evaluation-year")
urlpatterns = [
    path("evaluations/recompute/", RecomputeView.as_view(), name="evaluation-recompute"),
    path("evaluations/publish/", PublishView.as_view(), name="evaluation-publish"),
    path("evaluations/reopen/", ReopenView.as_view(), name="evaluation-reopen"),
    *router.urls,
]
