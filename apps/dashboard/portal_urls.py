"""Pages of the administrators' and contributors' dashboards."""

app_name = "dashboard"

urlpatterns: list = []
