from rest_framework import routers

from .api import MatchingBudgetViewSet, MatchingRuleViewSet, MatchViewSet

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("matching/rules", MatchingRuleViewSet, basename="matching-rule")
router.register("matching/budgets", MatchingBudgetViewSet, basename="matching-budget")
router.register("matching/matches", MatchViewSet, basename="matching-match")
urlpatterns = router.urls
