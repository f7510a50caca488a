"""Pages of financial statements per fund and consolidated."""

app_name = "statements"

urlpatterns: list = []
