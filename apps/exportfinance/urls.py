"""REST API of the Strategic Export Finance Fund, mounted under /api/v1/export-finance/."""

from rest_framework import routers

from .api import (
    DisbursementViewSet,
    ProfitReportViewSet,
    ProfitShareViewSet,
    ProjectViewSet,
    RecyclingRuleViewSet,
    RepaymentViewSet,
)

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("export-finance/projects", ProjectViewSet, basename="exportfinance-project")
router.register("export-finance/disbursements", DisbursementViewSet, basename="exportfinance-disbursement")
router.register("export-finance/repayments", RepaymentViewSet, basename="exportfinance-repayment")
router.register("export-finance/profit-reports", ProfitReportViewSet, basename="exportfinance-report")
router.register("export-finance/shares", ProfitShareViewSet, basename="exportfinance-share")
router.register("export-finance/rules", RecyclingRuleViewSet, basename="exportfinance-rule")
urlpatterns = router.urls
