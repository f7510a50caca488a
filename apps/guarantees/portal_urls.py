"""Pages of the win-win finance pool: guarantee institutions, programs and guarantees."""

from django.urls import path

from . import views

app_name = "guarantees"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("utilisation/", views.utilisation, name="utilisation"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("guarantees/<int:pk>/", views.guarantee_detail, name="guarantee"),
    path("earmarks/new/", views.earmark_new, name="earmark_new"),
]
