"""`python manage.py setup_taxcredits`: the roles' permissions on tax-credit rules and statements (the art. 8-3
rule itself is seeded by a migration). Safe to run any number of times."""

from django.core.management.base import BaseCommand

from apps.taxcredits.services import role_permissions_grant


class Command(BaseCommand):
    help = "Grant fund administrators and auditors their permissions on tax credits (idempotent)."

    def handle(self, *args, **options):
        role_permissions_grant()
        self.stdout.write(self.style.SUCCESS("세액공제 설정 완료 · Tax credits set up."))
