from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "apps.grants"
    label = "grants"
    verbose_name = _("Joint overseas expansion grants")
    # Links this room adds to the contributors' portal and to the back office's sidebar
    # (read by apps.core.navigation): portal_nav = ((title, url name), ...);
    # admin_nav = {"title": ..., "items": ((title, icon, "app_label.model"), ...)}.
    portal_nav = ((_("Joint overseas expansion"), "grants:projects"),)
    admin_nav = {
        "title": _("Joint overseas expansion"),
        "items": (
            (_("Projects"), "travel_explore", "grants.expansionproject"),
            (_("Awards"), "workspace_premium", "grants.award"),
            (_("Tranches"), "payments", "grants.tranche"),
            (_("Grant cap rules"), "rule", "grants.grantcaprule"),
            (_("Government share rules"), "percent", "grants.grantsharerule"),
            (_("Grant history"), "history", "grants.grantevent"),
        ),
    }
