from rest_framework import routers

from .api import FundViewSet

router = routers.SimpleRouter()
router.register("funds", FundViewSet, basename="fund")
urlpatterns = router.urls
