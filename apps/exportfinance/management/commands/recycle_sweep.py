"""`python manage.py recycle_sweep`: assess every profit report whose share was not computed yet (what the monthly
beat task does), at once."""

from django.core.management.base import BaseCommand

from apps.exportfinance.services import recycle_sweep


class Command(BaseCommand):
    help = "Recycle the profit of every report a task missed (idempotent)."

    def handle(self, *args, **options):
        result = recycle_sweep(actor="command:recycle_sweep")
        self.stdout.write(f"assessed {result.assessed}, refused {result.failed}")
