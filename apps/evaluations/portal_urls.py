"""Pages of performance sharing and the evaluation indices."""

from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.records, name="records"),
    path("records/new/", views.record_new, name="record_new"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("grades/", views.grades, name="grades"),
]
