"""REST API of joint overseas expansion grants (win-win cooperation fund), mounted under /api/v1/."""

from rest_framework import routers

from .api import AwardViewSet, ProjectViewSet, TrancheViewSet

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("grants/projects", ProjectViewSet, basename="grant-project")
router.register("grants/awards", AwardViewSet, basename="grant-award")
router.register("grants/tranches", TrancheViewSet, basename="grant-tranche")
urlpatterns = router.urls
