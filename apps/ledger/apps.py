from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "apps.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .guards import reinstall_after_migrate

        post_migrate.connect(reinstall_after_migrate, sender=self)
