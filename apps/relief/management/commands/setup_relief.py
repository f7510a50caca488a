"""`python manage.py setup_relief`: the roles' permissions on sanctions, fine payments and relief claims (also granted
after every migrate). Safe to run any number of times."""

from django.core.management.base import BaseCommand

from apps.relief.services import role_permissions_grant


class Command(BaseCommand):
    help = "Grant fund administrators and auditors their permissions on sanctions and relief claims (idempotent)."

    def handle(self, *args, **options):
        role_permissions_grant()
        self.stdout.write(self.style.SUCCESS("피해구제 설정 완료 · Damage relief set up."))
