"""Pages of joint overseas expansion grants (win-win cooperation fund)."""

from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("", views.project_list, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("awards/<int:pk>/", views.award_detail, name="award"),
]
