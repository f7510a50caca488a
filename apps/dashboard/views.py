"""The administrators' home in the back office."""

from apps.core.views import admin_dashboard as core_admin_dashboard


def admin_dashboard(request, context: dict) -> dict:
    """UNFOLD's DASHBOARD_CALLBACK."""
    return core_admin_dashboard(request, context)
