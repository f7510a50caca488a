"""REST API of the administrators' and contributors' dashboards, mounted under /api/v1/."""

urlpatterns: list = []
