"""REST API of joint overseas expansion grants (win-win cooperation fund), mounted under /api/v1/."""

urlpatterns: list = []
