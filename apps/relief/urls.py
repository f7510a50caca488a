"""REST API of sanctions, fines and damage-relief claims, mounted under /api/v1/."""

urlpatterns: list = []
