"""Pages of joint overseas expansion grants (win-win cooperation fund)."""

app_name = "grants"

urlpatterns: list = []
