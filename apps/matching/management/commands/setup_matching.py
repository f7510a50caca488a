"""`python manage.py setup_matching`: the roles' permissions on matching rules, budgets and matches. Safe to run any
number of times."""

from django.core.management.base import BaseCommand

from apps.matching.services import role_permissions_grant


class Command(BaseCommand):
    help = "Grant fund administrators and auditors their permissions on government matching (idempotent)."

    def handle(self, *args, **options):
        role_permissions_grant()
        self.stdout.write(self.style.SUCCESS("정부매칭 설정 완료 · Government matching set up."))
