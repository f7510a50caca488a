"""REST API of the win-win finance pool: guarantee institutions, programs and guarantees, mounted under /api/v1/."""

urlpatterns: list = []
