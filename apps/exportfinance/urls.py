"""REST API of the Strategic Export Finance Fund, mounted under /api/v1/."""

urlpatterns: list = []
