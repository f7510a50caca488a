from django.core.management.base import BaseCommand

from apps.evaluations.services import role_permissions_grant


class Command(BaseCommand):
    help = "Give auditors view access and fund administrators view/add/change access to the evaluations."

    def handle(self, *args, **options):
        role_permissions_grant()
        self.stdout.write(self.style.SUCCESS("Evaluation permissions granted."))
