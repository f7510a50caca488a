from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_role_permissions(sender, **kwargs) -> None:
    from .services import role_permissions_grant

    role_permissions_grant()


class ReliefConfig(AppConfig):
    name = "apps.relief"
    label = "relief"
    verbose_name = _("Damage relief and sanctions")
    portal_nav: tuple = ((_("Damage relief"), "relief:index"),)
    admin_nav: dict | None = {
        "title": _("Damage relief and sanctions"),
        "items": (
            (_("Sanctions"), "gavel", "relief.sanction"),
            (_("Fine payments"), "payments", "relief.finepayment"),
            (_("Relief claims"), "healing", "relief.claim"),
        ),
    }

    def ready(self) -> None:
        # Auditors view and fund administrators manage this room's records as soon as its tables exist (the
        # permissions are created by the auth app's own post_migrate handler, which runs before this one).
        post_migrate.connect(_grant_role_permissions, sender=self, dispatch_uid="relief_role_permissions")
