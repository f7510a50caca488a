from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = _("Audit trail")
    # Links this room adds to the contributors' portal and to the back office's sidebar
    # (read by apps.core.navigation): portal_nav = ((title, url name), ...);
    # admin_nav = {"title": ..., "items": ((title, icon, "app_label.model"), ...)}.
    portal_nav: tuple = ()
    admin_nav: dict | None = None
