"""REST API of performance sharing and the evaluation indices, mounted under /api/v1/."""

urlpatterns: list = []
