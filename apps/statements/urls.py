"""REST API of financial statements per fund and consolidated, mounted under /api/v1/."""

from django.urls import path

from .api import ScopeListView, ScopeStatementsView, StatementView

urlpatterns = [
    path("statements/", ScopeListView.as_view(), name="statements-scopes"),
    path("statements/<slug:scope>/", ScopeStatementsView.as_view(), name="statements-scope"),
    path("statements/<slug:scope>/<slug:kind>/", StatementView.as_view(), name="statements-statement"),
]
