"""Pages of the Strategic Export Finance Fund: projects, disbursements, repayments, profit reports and shares."""

from django.urls import path

from . import views

app_name = "exportfinance"

urlpatterns = [
    path("", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/reports/new/", views.report_new, name="report_new"),
]
