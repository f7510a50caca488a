from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import STAFF


class ExportsConfig(AppConfig):
    name = "apps.exports"
    label = "exports"
    verbose_name = _("Ledger exports")
    # Links this room adds to the contributors' portal and to the back office's sidebar
    # (read by apps.core.navigation): portal_nav = ((title, url name), ...);
    # admin_nav = {"title": ..., "items": ((title, icon, "app_label.model"), ...)}.
    portal_nav: tuple = ((_("Ledger exports"), "exports:index", STAFF),)
    admin_nav: dict | None = {"title": _("Ledger exports"),
                              "items": ((_("Export jobs"), "download", "exports.exportjob"),)}
