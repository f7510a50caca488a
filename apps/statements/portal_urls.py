"""Pages of financial statements per fund and consolidated, under /auditor/statements/."""

from django.urls import path

from . import views

app_name = "statements"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:scope>/xlsx/", views.statements_xlsx, name="xlsx"),
    path("<slug:scope>/<slug:kind>/", views.statement_detail, name="detail"),
]
