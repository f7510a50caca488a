"""`python manage.py setup_grants`: the roles' permissions on joint overseas expansion grants. Safe to run any number
of times. (The cap and share rules are seeded by the app's migrations.)"""

from django.core.management.base import BaseCommand

from apps.grants.services import role_permissions_grant


class Command(BaseCommand):
    help = "Grant fund administrators and auditors their permissions on joint overseas expansion grants (idempotent)."

    def handle(self, *args, **options):
        role_permissions_grant()
        self.stdout.write(self.style.SUCCESS("동반진출 지원 설정 완료 · Joint overseas expansion grants set up."))
