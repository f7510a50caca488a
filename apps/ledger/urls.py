from rest_framework import routers

from apps.core.permissions import FundAdminOrAuditorReadOnly

from .api import AccountViewSet, EntryViewSet, LedgerViewSet


class APIRootView(routers.APIRootView):
    permission_classes = [FundAdminOrAuditorReadOnly]


class Router(routers.DefaultRouter):
    APIRootView = APIRootView


router = Router()
router.register("ledgers", LedgerViewSet, basename="ledger")
router.register("accounts", AccountViewSet, basename="account")
router.register("entries", EntryViewSet, basename="entry")
urlpatterns = router.urls
