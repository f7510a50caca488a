"""Pages of sanctions, fines and damage-relief claims."""

from django.urls import path

from . import views

app_name = "relief"

urlpatterns = [
    path("", views.index, name="index"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/answer/", views.claim_answer, name="claim_answer"),
    path("claims/<int:pk>/documents/", views.claim_documents, name="claim_documents"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("sanctions/<int:pk>/", views.sanction_detail, name="sanction"),
]
