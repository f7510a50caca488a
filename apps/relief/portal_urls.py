"""Pages of sanctions, fines and damage-relief claims."""

app_name = "relief"

urlpatterns: list = []
