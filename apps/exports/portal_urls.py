"""Pages of auditors' ledger exports (CSV, XLSX, SAF-T XML), mounted under /auditor/exports/."""

from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
