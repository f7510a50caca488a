from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "apps.ledger"
    label = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_migrate

        from .guards import lift_key_guards_before_migrate, reinstall_after_migrate

        pre_migrate.connect(lift_key_guards_before_migrate, sender=self)
        post_migrate.connect(reinstall_after_migrate, sender=self)
