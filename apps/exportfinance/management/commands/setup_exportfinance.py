"""`python manage.py setup_exportfinance`: the roles' permissions on export projects, movements, profit reports,
shares and recycling rules. Safe to run any number of times."""

from django.core.management.base import BaseCommand

from apps.exportfinance.services import role_permissions_grant


class Command(BaseCommand):
    help = "Grant fund administrators and auditors their permissions on strategic export finance (idempotent)."

    def handle(self, *args, **options):
        role_permissions_grant()
        self.stdout.write(self.style.SUCCESS("전략수출금융 설정 완료 · Strategic export finance set up."))
