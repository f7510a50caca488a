from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core.navigation import STAFF


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = _("Audit trail")
    portal_nav = ((_("Auditors' area"), "audit:index", STAFF),)
    admin_nav = {"title": _("Audit trail"), "items": ((_("Audit events"), "manage_search", "audit.auditevent"),)}

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import hooks

        connection_created.connect(_connection_created, dispatch_uid="audit.connection_created", weak=False)
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="audit.install_triggers", weak=False)
        hooks.connect_celery()
        hooks.hook_commands()


def _connection_created(sender, connection, **kwargs) -> None:
    from .context import install

    install(connection)


def _install_triggers(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from .triggers import install

    install(connections[using])
