"""Pages of the audit trail and the auditors' read-only area, mounted at /auditor/."""

from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.index, name="index"),
    path("funds/<slug:code>/", views.fund_detail, name="fund"),
    path("entries/", views.entry_list, name="entries"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("trail/", views.event_list, name="trail"),
    path("trail/<int:pk>/", views.event_detail, name="event"),
    path("verification/", views.verification, name="verification"),
    path("verification/run/", views.verification_start, name="verify"),
]
