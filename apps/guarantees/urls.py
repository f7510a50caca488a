"""REST API of the win-win finance pool: guarantee institutions, programs and guarantees, mounted under /api/v1/."""

from django.urls import path
from rest_framework import routers

from .api import (
    EarmarkViewSet,
    GuaranteeViewSet,
    InstitutionViewSet,
    ProgramViewSet,
    TransferViewSet,
    UtilisationView,
)

# A SimpleRouter: the API root at /api/v1/ belongs to the ledger's router.
router = routers.SimpleRouter()
router.register("guarantees/institutions", InstitutionViewSet, basename="guarantee-institution")
router.register("guarantees/programs", ProgramViewSet, basename="guarantee-program")
router.register("guarantees/earmarks", EarmarkViewSet, basename="guarantee-earmark")
router.register("guarantees/transfers", TransferViewSet, basename="guarantee-transfer")
router.register("guarantees/guarantees", GuaranteeViewSet, basename="guarantee")
urlpatterns = [
    path("guarantees/utilisation/", UtilisationView.as_view(), name="guarantee-utilisation"),
    *router.urls,
]
