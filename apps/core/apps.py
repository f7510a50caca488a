from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from .roles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, dispatch_uid="core.grant_role_permissions")
