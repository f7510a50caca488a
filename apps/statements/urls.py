"""REST API of financial statements per fund and consolidated, mounted under /api/v1/."""

urlpatterns: list = []
