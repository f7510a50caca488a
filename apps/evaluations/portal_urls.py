"""Pages of performance sharing and the evaluation indices."""

app_name = "evaluations"

urlpatterns: list = []
